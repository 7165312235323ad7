/**
 * The functions' view of the shared runtime: the pane's session and API client, the memo of
 * consumption answers, the computer's time zone and the workbook's date system. Built on first
 * use, because the API client needs the page's origin.
 */
import { apiClient, session, type Fetch } from '../api';
import type { DateSystem } from '../excel/dates';
import { readDateSystem } from '../excel/date-system';
import { readWorkbookZone } from '../excel/workbook-zone';
import { excelRunner } from '../host/host';
import type { FunctionsContext } from './cell-functions';
import { ConsumptionMemo, httpConsumptionApi } from './consumption-api';
import { DemandMemo, httpDemandBatch } from './demand-api';
import { dateCellKind, type DateCellKind } from './date-cells';
import { httpCusumApi } from './cusum-api';
import { httpIntervalsApi } from './intervals-api';

let context: FunctionsContext | undefined;
let dateSystem: Promise<DateSystem> | undefined;
let workbookZone: Promise<string> | undefined;

export function functionsContext(): FunctionsContext {
  if (!context) {
    const client = apiClient();
    const fetch = globalThis.fetch.bind(globalThis) as unknown as Fetch;
    context = {
      session,
      consumption: new ConsumptionMemo(httpConsumptionApi(client, fetch)),
      intervals: httpIntervalsApi(client, fetch),
      demand: new DemandMemo(httpDemandBatch(client, fetch)),
      cusum: httpCusumApi(client, fetch),
      api: {
        sources: (query, signal) => client.sources(query, signal),
        readings: (request, signal) => client.readings(request, signal),
      },
      defaultTimeZone: workbookTimeZone,
      dateSystem: workbookDateSystem,
      dateCellKind: runtimeDateCellKind,
    };
  }
  return context;
}

/**
 * The date system of the workbook this runtime belongs to (each open workbook has its own
 * runtime), asked once and remembered until the next Refresh. Outside Excel, or if Excel cannot
 * answer, the 1900 system every new workbook uses.
 */
export function workbookDateSystem(): Promise<DateSystem> {
  dateSystem ??= typeof Excel === 'undefined' ? Promise.resolve(1900) : excelRunner((ctx) => readDateSystem(ctx)).catch((): DateSystem => 1900);
  return dateSystem;
}

let kind: DateCellKind | undefined;

/** What this Excel takes for dates in spilled results, asked of Office once (its build does not change while it runs). */
function runtimeDateCellKind(): DateCellKind {
  if (typeof Office === 'undefined') return 'Double';
  try {
    kind ??= dateCellKind((set, version) => Office.context.requirements.isSetSupported(set, version));
    return kind;
  } catch {
    return 'serial'; // not known yet (Office still loading): a bare serial is right everywhere
  }
}

/**
 * Forgets remembered consumption answers (and the date system), so the next recalculation asks
 * again. For the Refresh command: call this, then recalculate the sheets holding DCS formulas
 * (recalculate.ts).
 */
export function forgetConsumptionAnswers(): void {
  context?.consumption.clear();
  context?.demand?.clear();
  dateSystem = undefined;
}

/**
 * The workbook's time zone (excel/workbook-zone.ts): the default of every function given none,
 * the invoice sheet's and the pane's. Asked of the workbook once; the computer's zone until one is
 * chosen, and outside Excel.
 */
export function workbookTimeZone(): Promise<string> {
  workbookZone ??=
    typeof Excel === 'undefined'
      ? Promise.resolve(computerTimeZone())
      : excelRunner(readWorkbookZone)
          .then((zone) => zone ?? computerTimeZone())
          .catch(() => computerTimeZone());
  return workbookZone;
}

/** The pane chose a zone for the workbook: functions use it from their next calculation. */
export function useWorkbookTimeZone(zone: string): void {
  workbookZone = Promise.resolve(zone);
}

/** The zone this computer's clock is set to (the workbook's zone until one is chosen). */
export function computerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
