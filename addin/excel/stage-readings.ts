import type { NdjsonRecord, ReadingJson, SourceHeader } from '../../server/api/types';
import { ApiRequestError, isApiError, type ReadingsRequest } from '../api/client';
import type { TableLayout } from '../query/table-query';
import { BlockBuffer } from './blocks';
import { columnsFor, RowMaker, type CellValue, type Columns } from './cells';
import type { DateSystem } from './dates';
import { CancelledError, IncompleteReadingsError, RowLimitError } from './errors';
import { DEFAULT_BLOCK_BYTES } from './limits';
import { StagingSheet } from './staging';

/** Where a pull's readings come from: the server's ndjson records (ApiClient.readings). */
export type ReadingsSource = (request: ReadingsRequest, signal?: AbortSignal) => AsyncIterable<NdjsonRecord>;

export interface PullProgress {
  /** What is being pulled, for the progress line (e.g. a table name). */
  label: string;
  rowsWritten: number;
  /** Readings the server expects to send (sum of the sources' expectedCount), when known. */
  expectedRows: number;
}

export interface StageOptions {
  readings: ReadingsSource;
  layout: TableLayout;
  /** Data rows that fit at the destination; more is refused before anything is written. */
  maxRows: number;
  maxBlockBytes?: number;
  signal?: AbortSignal;
  label: string;
  onProgress?: (progress: PullProgress) => void;
  /** The workbook's date system (date-system.ts); 1900 when left out. */
  dateSystem?: DateSystem;
}

/** Rows kept for sizing the columns to the data (place.ts). */
const SAMPLE_ROWS = 200;

/** A complete pull, held on the hidden staging sheet, ready to be put in place. */
export interface StagedReadings {
  staging: StagingSheet | undefined;
  /** Readings staged (0 when the range held none: then there is no staging sheet). */
  rowCount: number;
  sources: SourceHeader[];
  columns: Columns;
  rowMaker: RowMaker;
  /** The first rows, as written (for column widths). */
  sample: CellValue[][];
}

function isSourceRecord(record: NdjsonRecord): record is { source: SourceHeader } {
  return typeof record === 'object' && record !== null && 'source' in record;
}
function isEndRecord(record: NdjsonRecord): record is { end: { sources: number; readings: number } } {
  return typeof record === 'object' && record !== null && 'end' in record;
}
function isReading(record: NdjsonRecord): record is ReadingJson & { id: string } {
  return typeof record === 'object' && record !== null && 'timestamp' in record;
}

/**
 * Streams one pull from the server into a hidden staging sheet, in blocks sized under Excel on
 * the web's request limit, with one sync per block. Refuses before writing anything when the
 * server's expected row count cannot fit (`maxRows`). On any failure or cancel the staging
 * sheet is deleted and the error is rethrown: the caller's tables are untouched.
 */
export async function stageReadings(context: Excel.RequestContext, request: ReadingsRequest, options: StageOptions): Promise<StagedReadings> {
  const { signal } = options;
  const rowMaker = new RowMaker(request.format, options.layout, request.timeZone, options.dateSystem);
  const sample: CellValue[][] = [];
  const sources = new Map<string, SourceHeader>();
  let columns = columnsFor(request.format, options.layout, request.timeZone, '');
  const buffer = new BlockBuffer(options.maxBlockBytes ?? DEFAULT_BLOCK_BYTES);
  let staging: StagingSheet | undefined;
  let expectedRows = 0;
  let rowsSeen = 0;
  let rowsWritten = 0;
  let ended = false;

  const checkCancelled = () => {
    if (signal?.aborted) throw new CancelledError();
  };
  const writeBlock = async (rows: ReturnType<BlockBuffer['take']>) => {
    if (rows.length === 0) return;
    checkCancelled();
    staging ??= await StagingSheet.create(context, { count: columns.headers.length, textIndexes: columns.textIndexes });
    await staging.append(context, rows);
    rowsWritten += rows.length;
    options.onProgress?.({ label: options.label, rowsWritten, expectedRows });
  };

  try {
    for await (const record of options.readings(request, signal)) {
      checkCancelled();
      if (isApiError(record)) {
        throw new IncompleteReadingsError(`The server stopped partway through the readings: ${record.error.message}`);
      } else if (isSourceRecord(record)) {
        const header = record.source;
        sources.set(header.id.toUpperCase(), header);
        if (sources.size === 1 && options.layout === 'perSource') {
          columns = columnsFor(request.format, options.layout, request.timeZone, header.unit);
        }
        expectedRows += header.expectedCount;
        if (expectedRows > options.maxRows) throw new RowLimitError(expectedRows, options.maxRows);
        options.onProgress?.({ label: options.label, rowsWritten, expectedRows });
      } else if (isReading(record)) {
        const header = sources.get(String(record.id).toUpperCase());
        if (!header)
          throw new IncompleteReadingsError(
            `The server sent a reading for ${record.id} before saying what ${record.id} is. Try again; if it keeps happening, check the server's log.`,
          );
        rowsSeen++;
        if (rowsSeen > options.maxRows) throw new RowLimitError(rowsSeen, options.maxRows);
        const row = rowMaker.row(record, header);
        if (sample.length < SAMPLE_ROWS) sample.push(row);
        await writeBlock(buffer.add(row) ?? []);
      } else if (isEndRecord(record)) {
        if (record.end.readings !== rowsSeen) {
          throw new IncompleteReadingsError(`The server said it sent ${record.end.readings} readings but ${rowsSeen} arrived. Try again.`);
        }
        ended = true;
        break;
      }
      // Anything else is a record type added after this version: ignored, as DCS payloads may grow.
    }
    if (!ended) {
      throw new IncompleteReadingsError(
        `The connection to the server ended before all readings arrived (${rowsSeen.toLocaleString('en-GB')} received). Nothing was changed; try again.`,
      );
    }
    await writeBlock(buffer.take());
    return { staging, rowCount: rowsWritten, sources: [...sources.values()], columns, rowMaker, sample };
  } catch (error) {
    await staging?.discard(context).catch(() => undefined);
    if (signal?.aborted) throw new CancelledError();
    if (error instanceof ApiRequestError || error instanceof Error) throw error;
    throw new Error(String(error), { cause: error });
  }
}
