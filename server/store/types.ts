/**
 * The readings store's contract. A series is one source read with one set of query options;
 * the store keeps only its settled readings and says which spans of a request it can serve.
 *
 * Authorization is not the store's job: a caller serves stored readings only to a user it has
 * already checked may read that source (the user's own DCS meter list), exactly as it would
 * before asking DCS. The store holds every user's readings side by side.
 */
import type { AnyReading, PeriodType, ReadingsFormat } from 'dcs-client';

/** Which readings: a source on a DCS endpoint read with these options (defaults already applied). */
export interface SeriesKey {
  /** The DCS Web API root, e.g. `https://dcs.example.com/DCSWebApi/`. */
  endpoint: string;
  /** `R733` or `VM9` (any case; stored upper-case). */
  source: string;
  periodType: PeriodType;
  calibrated: boolean;
  interpolated: boolean;
  format: ReadingsFormat;
}

/** A half-open span [start, end) of whole periods. */
export interface Span {
  start: Date;
  end: Date;
}

/** What DCS said about the series when its readings were stored (enough to answer without DCS). */
export interface StoredHeader {
  name: string;
  unit: string;
  duration: number;
}

/** How a request splits between the store and DCS. Both lists are ordered and together tile the span. */
export interface SpanPlan {
  /** Spans whose every period has a settled reading in the store: serve with `read`. */
  stored: Span[];
  /** Spans to ask of DCS (and to record while they stream past). */
  missing: Span[];
  /** Known once anything of the series was stored. */
  header?: StoredHeader;
}

/** What a recorder did, for logs and the mirror's summary. */
export interface RecordSummary {
  /** Settled readings written. */
  stored: number;
  /** Readings seen but not stored: estimated, with a status, or too recent to be settled. */
  skipped: number;
  /** Set when writing failed; the readings after the failure were not stored. */
  error?: Error;
}

/**
 * Takes readings as they stream past from DCS and writes the settled ones in batches (COPY), in
 * the background. `write` never throws for a store failure: the pull it watches must not fail
 * because of the store; the failure is reported by `finish`. `write` waits only when too many
 * readings are queued for a database slower than DCS.
 */
export interface ReadingsRecorder {
  write(batch: readonly AnyReading[]): Promise<void>;
  /** Writes what is buffered and resolves with the summary. */
  finish(): Promise<RecordSummary>;
  /** Drops what is buffered (batches already written stay: each is complete on its own). */
  abandon(): Promise<void>;
}

export interface ReadingsStore {
  /** Splits `span` into what the store can serve (settled, as of now) and what DCS must be asked. */
  plan(key: SeriesKey, span: Span): Promise<SpanPlan>;
  /** The stored readings of a span from `plan().stored`, oldest first, in batches. */
  read(key: SeriesKey, span: Span): AsyncIterable<readonly AnyReading[]>;
  /** A recorder for readings of `key` about to stream from DCS; `header` as DCS sent it. */
  recorder(key: SeriesKey, header: StoredHeader): ReadingsRecorder;
  close(): Promise<void>;
}
