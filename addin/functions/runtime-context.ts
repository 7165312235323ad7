/**
 * The functions' view of the shared runtime: the pane's session and API client, the memo of
 * consumption answers, and the computer's time zone. Built on first use, because the API
 * client needs the page's origin.
 */
import { apiClient, session, type Fetch } from '../api';
import type { FunctionsContext } from './cell-functions';
import { ConsumptionMemo, httpConsumptionApi } from './consumption-api';

let context: FunctionsContext | undefined;

export function functionsContext(): FunctionsContext {
  if (!context) {
    const client = apiClient();
    context = {
      session,
      consumption: new ConsumptionMemo(httpConsumptionApi(client, globalThis.fetch.bind(globalThis) as unknown as Fetch)),
      api: {
        sources: (query, signal) => client.sources(query, signal),
        readings: (request, signal) => client.readings(request, signal),
      },
      defaultTimeZone: computerTimeZone,
    };
  }
  return context;
}

/**
 * Forgets remembered consumption answers, so the next recalculation asks DCS again. For the
 * Refresh command: call this, then recalculate the sheets holding DCS formulas (recalculate.ts).
 */
export function forgetConsumptionAnswers(): void {
  context?.consumption.clear();
}

/** The zone this computer's clock is set to (the default for functions given none). */
export function computerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
