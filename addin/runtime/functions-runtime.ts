/**
 * Loads the custom functions into the shared runtime (the task pane page).
 *
 * The build appends `CustomFunctions.associate(...)` calls to functions.ts. Outside Excel (a
 * plain browser, preview mode, office.js failing to load) there is no CustomFunctions global, and
 * those calls would throw and take the whole pane down; a do-nothing stand-in keeps the pane
 * alive. This module must be imported before the functions module.
 */
const scope = globalThis as { CustomFunctions?: { associate?: unknown } };
if (typeof scope.CustomFunctions?.associate !== 'function') {
  scope.CustomFunctions = { ...(scope.CustomFunctions ?? {}), associate: () => undefined };
}
export {};
