/**
 * The pane follows Excel's theme while it is open (issue 17, defect 14). Excel raises no theme
 * event (Office.js documents OfficeThemeChanged for Outlook only), so the pane reads
 * Office.context.officeTheme again when it regains focus or becomes visible, and follows the
 * system's light/dark preference.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { followThemeChanges, isDarkTheme, type OfficeThemeColours } from '../../../addin/taskpane/theme-choice';

function pane(initial: OfficeThemeColours) {
  const host = { theme: initial };
  const sources = { window: new EventTarget(), document: new EventTarget(), prefersDark: new EventTarget() };
  const applied: boolean[] = [];
  followThemeChanges(
    sources,
    () => isDarkTheme(host.theme, false),
    (dark) => applied.push(dark),
  );
  return { host, sources, applied };
}

describe('following a theme change while the pane is open', () => {
  it('turns dark when Excel went dark and the pane regains focus', () => {
    const { host, sources, applied } = pane({ bodyBackgroundColor: '#ffffff' });
    host.theme = { bodyBackgroundColor: '#262626' };
    sources.window.dispatchEvent(new Event('focus'));
    assert.deepEqual(applied, [true]);
  });

  it('follows a change seen when the pane becomes visible again, and back', () => {
    const { host, sources, applied } = pane({ isDarkTheme: true });
    host.theme = { isDarkTheme: false };
    sources.document.dispatchEvent(new Event('visibilitychange'));
    host.theme = { isDarkTheme: true };
    sources.prefersDark.dispatchEvent(new Event('change'));
    assert.deepEqual(applied, [false, true]);
  });

  it('changes nothing when the theme is the same', () => {
    const { sources, applied } = pane({ bodyBackgroundColor: '#ffffff' });
    sources.window.dispatchEvent(new Event('focus'));
    sources.document.dispatchEvent(new Event('visibilitychange'));
    assert.deepEqual(applied, []);
  });
});
