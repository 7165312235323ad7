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
