/**
 * The Fluent UI 2 web components the pane uses (the native look of current Office task panes),
 * each registered by importing its define module, and the pane's theme: Fluent's light or dark
 * design tokens, chosen from Excel's own theme (Office.context.officeTheme), so a dark Excel
 * shows a dark pane.
 */
import '@fluentui/web-components/button.js';
import '@fluentui/web-components/badge.js';
import '@fluentui/web-components/field.js';
import '@fluentui/web-components/message-bar.js';
import '@fluentui/web-components/progress-bar.js';
import '@fluentui/web-components/radio.js';
import '@fluentui/web-components/radio-group.js';
import '@fluentui/web-components/switch.js';
import { setTheme } from '@fluentui/web-components';
import { webDarkTheme, webLightTheme } from '@fluentui/tokens';
import { followThemeChanges, isDarkTheme, type OfficeThemeColours } from './theme-choice';

const prefersDarkQuery = (): MediaQueryList | undefined => (typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined);

/** Whether the pane should be dark now: Excel's theme (read again each time), else the system's preference. */
function wantsDark(inOffice: boolean): boolean {
  return isDarkTheme(inOffice ? officeTheme() : undefined, prefersDarkQuery()?.matches === true);
}

/**
 * Applies Fluent's light or dark tokens to the whole page now, and again whenever Excel's theme
 * (or, outside Office, the system's) changes while the pane is open (followThemeChanges).
 */
export function applyAndFollowTheme(inOffice: boolean): void {
  setDark(wantsDark(inOffice));
  followThemeChanges({ window, document, prefersDark: prefersDarkQuery() }, () => wantsDark(inOffice), setDark);
}

/** Applies Fluent's light or dark tokens to the whole page. */
export function applyTheme(office: OfficeThemeColours | undefined): void {
  setDark(isDarkTheme(office, prefersDarkQuery()?.matches === true));
}

function setDark(dark: boolean): void {
  setTheme(dark ? webDarkTheme : webLightTheme);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  document.documentElement.style.colorScheme = dark ? 'dark' : 'light';
}

/** Office's theme in Excel; undefined in a plain browser or where the host gives none. */
function officeTheme(): OfficeThemeColours | undefined {
  try {
    return typeof Office === 'undefined' ? undefined : Office.context?.officeTheme;
  } catch {
    return undefined;
  }
}
