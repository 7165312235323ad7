/**
 * Office.js's globals for the add-in in a test, around the add-in's in-memory Excel model
 * (addin/preview/memory-excel.ts): `Office` (onReady, ribbon actions, requirement sets), `Excel`
 * (Excel.run on the model) and `CustomFunctions` (the functions the add-in associates, which the
 * test calls as Excel would). Runs in a browser page (bundled by moduleAsPageScript) or in Node:
 * no Node or DOM APIs.
 */
import { createMemoryExcel, type MemoryExcel } from '../../../addin/preview/memory-excel';

/** A custom function's result as Excel shows it: its value, or an Excel error. */
export type CallResult = { value: unknown } | { error: { code: string; message: string } };

class CustomFunctionsError {
  constructor(
    readonly code: string,
    readonly message?: string,
  ) {}
}

const ERROR_CODES = {
  invalidValue: '#VALUE!',
  notAvailable: '#N/A',
  divisionByZero: '#DIV/0!',
  invalidNumber: '#NUM!',
  nullReference: '#NULL!',
  invalidName: '#NAME?',
  invalidReference: '#REF!',
};

/**
 * Installs the globals on `scope` (the page's window, or globalThis) and returns the workbook.
 * Also puts `__excel` (the workbook's view), `__actions` (ribbon actions by name) and
 * `__callFunction(name, args)` on `scope` for the test.
 */
export function installOfficeHost(scope: Record<string, unknown>): MemoryExcel {
  const memory = createMemoryExcel();
  const functions: Record<string, (...args: unknown[]) => unknown> = {};
  const actions: Record<string, (event: { completed(): void }) => void> = {};
  const info = { host: 'Excel', platform: 'OfficeOnline' };
  scope.Office = {
    HostType: { Excel: 'Excel' },
    onReady: (callback?: (i: typeof info) => void) => {
      if (callback) callback(info);
      return Promise.resolve(info);
    },
    actions: { associate: (name: string, fn: (event: { completed(): void }) => void) => void (actions[name] = fn) },
    addin: { showAsTaskpane: () => Promise.resolve() },
    context: { requirements: { isSetSupported: () => true } },
  };
  scope.Excel = {
    run: (...args: unknown[]) => (memory.run as (...a: unknown[]) => Promise<unknown>)(...args),
    ConditionalFormatType: { custom: 'Custom' },
    CalculationType: { full: 'Full', recalculate: 'Recalculate', fullRebuild: 'FullRebuild' },
  };
  scope.CustomFunctions = {
    associate(id: string | Record<string, (...args: unknown[]) => unknown>, fn?: (...args: unknown[]) => unknown) {
      if (typeof id === 'string') functions[id.toUpperCase()] = fn!;
      else for (const [name, f] of Object.entries(id)) functions[name.toUpperCase()] = f;
    },
    Error: CustomFunctionsError,
    ErrorCode: ERROR_CODES,
  };
  scope.__excel = memory.view;
  scope.__actions = actions;
  scope.__callFunction = (name: string, args: unknown[]) => callFunction(functions, name, args);
  return memory;
}

/** Calls a custom function as Excel would; an Excel error comes back as {error}. */
async function callFunction(functions: Record<string, (...args: unknown[]) => unknown>, name: string, args: unknown[]): Promise<CallResult> {
  const fn = functions[name.toUpperCase()];
  if (!fn) return { error: { code: '#NAME?', message: `no custom function ${name}` } };
  try {
    return { value: await fn(...args) };
  } catch (error) {
    if (error instanceof CustomFunctionsError) return { error: { code: error.code, message: error.message ?? '' } };
    return { error: { code: '#VALUE!', message: `the function threw ${String(error)}` } };
  }
}
