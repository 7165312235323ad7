/**
 * The pane's monitoring and targeting: ask the server (GET /api/typical-day, GET /api/cusum), then
 * write the table and its charts on a new sheet (excel/analysis-charts.ts). Nothing is written
 * when the server refuses: its message (which names what is wrong) reaches the pane.
 */
import type { CusumRequest } from '../api/client';
import type { ApiClient } from '../api';
import { readDateSystem } from '../excel/date-system';
import { writeCusum, writeTypicalDay } from '../excel/analysis-charts';
import { cusumReportTable, typicalDayTable } from '../query/analysis-tables';
import type { ExcelRunner } from './pulls';

export interface AnalysisResult {
  sheet: string;
  rows: number;
}

/** `end` is the first day not included, as the pane's range gives it. */
export async function runTypicalDay(
  run: ExcelRunner,
  client: ApiClient,
  request: { id: string; start: string; end: string; timeZone: string },
  signal?: AbortSignal,
): Promise<AnalysisResult> {
  const json = await client.typicalDay(request, signal);
  const table = typicalDayTable(json);
  const sheet = await run((context) => writeTypicalDay(context, json.id, table));
  return { sheet, rows: table.rows.length };
}

export async function runCusum(run: ExcelRunner, client: ApiClient, request: CusumRequest, signal?: AbortSignal): Promise<AnalysisResult> {
  const json = await client.cusum(request, signal);
  const sheet = await run(async (context) => writeCusum(context, json.source.id, cusumReportTable(json, await readDateSystem(context))));
  return { sheet, rows: json.intervals.length };
}
