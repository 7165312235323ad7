/**
 * The Fluent UI web components the pane uses (`@fluentui/web-components` 2.6: buttons, badge,
 * radios, switch, progress), registered once, and the pane's theme: Fluent 2's light or dark design
 * tokens (`@fluentui/tokens`, the colours, type and spacing of current Office task panes) written
 * onto the page as CSS variables, chosen from Excel's own theme (Office.context.officeTheme), so a
 * dark Excel shows a dark pane. The components follow the same choice through their layer
 * luminance. (Version 3 of the components names Node 22 or 24 as its engine, and this project
 * builds on Node 20; 2.6 declares none. Labels, the message bar and field layout are plain HTML
 * styled with the tokens in taskpane.css.)
 */
import {
  accentBaseColor,
  baseLayerLuminance,
  fillColor,
  fluentBadge,
  fluentButton,
  fluentProgress,
  fluentRadio,
  fluentRadioGroup,
  fluentSwitch,
  provideFluentDesignSystem,
  StandardLuminance,
  SwatchRGB,
} from '@fluentui/web-components';
import { webDarkTheme, webLightTheme, type Theme } from '@fluentui/tokens';
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

provideFluentDesignSystem().register(fluentBadge(), fluentButton(), fluentProgress(), fluentRadio(), fluentRadioGroup(), fluentSwitch());

/** Every token of the theme as a CSS variable on the page (`--colorNeutralForeground1`, ...). */
function writeTokens(theme: Theme): void {
  const style = document.documentElement.style;
  for (const [name, value] of Object.entries(theme)) style.setProperty(`--${name}`, String(value));
}

/** A `#rrggbb` token as the components' colour type. */
function swatch(hex: string): SwatchRGB {
  const channel = (at: number): number => parseInt(hex.slice(at, at + 2), 16) / 255;
  return SwatchRGB.create(channel(1), channel(3), channel(5));
}

/**
 * The components work out their own colours from a few seeds: the luminance of the layer, the
 * colour they sit on (the pane's cards) and the accent (Fluent 2's brand blue), all from the tokens.
 */
function seedComponents(theme: Theme, dark: boolean): void {
  const root = document.documentElement;
  baseLayerLuminance.setValueFor(root, dark ? StandardLuminance.DarkMode : StandardLuminance.LightMode);
  fillColor.setValueFor(root, swatch(theme.colorNeutralBackground1));
  accentBaseColor.setValueFor(root, swatch(theme.colorBrandBackground));
}

/** Applies Fluent's light or dark tokens to the whole page. */
export function applyTheme(office: OfficeThemeColours | undefined): void {
  setDark(isDarkTheme(office, prefersDarkQuery()?.matches === true));
}

function setDark(dark: boolean): void {
  const theme = dark ? webDarkTheme : webLightTheme;
  writeTokens(theme);
  seedComponents(theme, dark);
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
