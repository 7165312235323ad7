/** Whether the pane is dark: from Excel's theme, else the browser's preference. No DOM: unit-tested in Node. */

/** The colours Office gives (Office.context.officeTheme); absent outside Office. */
export interface OfficeThemeColours {
  bodyBackgroundColor?: string;
  isDarkTheme?: boolean;
}

/** Relative luminance of a `#rrggbb` colour, 0 (black) to 1 (white); undefined if not one. */
export function luminance(colour: string | undefined): number | undefined {
  const match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour?.trim() ?? '');
  if (!match) return undefined;
  const [r, g, b] = match.slice(1).map((hex) => parseInt(hex, 16) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Dark when Office says so, or when its body background is dark; else the browser's preference. */
export function isDarkTheme(office: OfficeThemeColours | undefined, prefersDark: boolean): boolean {
  if (office?.isDarkTheme !== undefined) return office.isDarkTheme;
  const light = luminance(office?.bodyBackgroundColor);
  return light === undefined ? prefersDark : light < 0.5;
}

/** Something that raises events (the window, a media query list). */
interface EventSource {
  addEventListener(type: string, listener: () => void): void;
}

/**
 * Keeps the pane's theme in step with Excel's while it is open. Office.js documents a theme
 * change event only for Outlook (Office.EventType.OfficeThemeChanged, Mailbox 1.14); Excel has
 * none, and Office.context.officeTheme is read when asked. So the theme is read again whenever
 * the pane may have missed a change: when it regains focus or becomes visible again (the user
 * went to File > Account > Office Theme, or to Windows' settings), and when the system's
 * light/dark preference changes. `apply` runs only when the answer changes.
 */
export function followThemeChanges(
  sources: { window: EventSource; document: EventSource; prefersDark?: EventSource },
  read: () => boolean,
  apply: (dark: boolean) => void,
): void {
  let dark = read();
  const check = () => {
    const now = read();
    if (now === dark) return;
    dark = now;
    apply(now);
  };
  sources.window.addEventListener('focus', check);
  sources.document.addEventListener('visibilitychange', check);
  sources.prefersDark?.addEventListener('change', check);
}
