/**
 * The DCS cell functions as a formula engine calls them (sheet-calculation.ts): the add-in's own
 * function code (functions/) with a given runtime context, so the preview workbook and the tests
 * get the figures Excel would, from the same requests to our server. A failure becomes the error
 * value the cell would show (#VALUE! or #N/A, with its message).
 */
import { consumption, quality, type FunctionsContext } from '../functions/cell-functions';
import { demand } from '../functions/demand-function';
import { FunctionFailure } from '../functions/failure';
import { ExcelErrorValue } from './formula';
import type { CustomFunction } from './sheet-calculation';

const ERROR_VALUES = { invalidValue: '#VALUE!', notAvailable: '#N/A' } as const;

export function dcsFunctions(ctx: FunctionsContext): CustomFunction {
  return async (name, args) => {
    // The evaluator never calls a function with an error among its arguments (the error is the result).
    const [a, b, c, d, e, f, g] = args.map((v) => (v instanceof ExcelErrorValue ? null : v));
    try {
      switch (name) {
        case 'DCS.CONSUMPTION':
          return await consumption(ctx, a, b, c, d ?? null, undefined, e ?? null);
        case 'DCS.QUALITY':
          return await quality(ctx, a, b, c, d, e ?? null, undefined, f ?? null);
        case 'DCS.DEMAND':
          return await demand(ctx, { id: a, reactive: b, start: c, end: d, measure: e, timeZone: f ?? null, allowance: g ?? null });
        default:
          return new ExcelErrorValue('#NAME?', `${name} is not a function here`);
      }
    } catch (error) {
      const code = error instanceof FunctionFailure ? ERROR_VALUES[error.code] : '#N/A';
      return new ExcelErrorValue(code, error instanceof Error ? error.message : String(error));
    }
  };
}
