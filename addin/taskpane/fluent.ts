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
import { isDarkTheme, type OfficeThemeColours } from './theme-choice';

/** Applies Fluent's light or dark tokens to the whole page. */
export function applyTheme(office: OfficeThemeColours | undefined): void {
  const prefersDark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
  const dark = isDarkTheme(office, prefersDark);
  setTheme(dark ? webDarkTheme : webLightTheme);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  document.documentElement.style.colorScheme = dark ? 'dark' : 'light';
}

/** Office's theme in Excel; undefined in a plain browser or where the host gives none. */
export function officeTheme(): OfficeThemeColours | undefined {
  try {
    return typeof Office === 'undefined' ? undefined : Office.context?.officeTheme;
  } catch {
    return undefined;
  }
}
