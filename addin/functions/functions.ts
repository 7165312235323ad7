/**
 * Excel custom functions of the DCS add-in (namespace DCS, e.g. =DCS.VERSION()).
 *
 * PLACEHOLDER written by the add-in infrastructure so that the build and the functions.json
 * metadata work before the real functions exist; the custom-functions helper replaces this file.
 * The build (custom-functions-metadata-plugin in webpack.config.js) reads the JSDoc tags below to
 * generate dist/functions.json and appends the CustomFunctions.associate calls itself.
 * Functions run in the shared runtime, so they can reuse the pane's session: see
 * addin/api/index.ts (apiClient(), session) and addin/excel/dates.ts.
 */

/**
 * The version of the DCS add-in that is loaded, to check that its functions are available.
 * @customfunction
 * @returns The add-in's version, such as "0.1.0".
 */
export function version(): string {
  return '0.1.0';
}
