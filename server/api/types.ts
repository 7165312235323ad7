/**
 * The wire types of our server's HTTP API: the one contract between the server, the Excel
 * add-in, Power Query and anything else that calls it. Type-only: no runtime code here.
 */

export type PeriodType = 'halfHour' | 'hour' | 'day' | 'week' | 'month';
export type ReadingsFormat = 'standard' | 'complete';
export type OutputFormat = 'json' | 'ndjson' | 'csv';

/** `POST /api/session` answer, and `GET /api/session` for the current caller. */
export interface SessionInfo {
  username: string;
  role: string;
  /** Bearer token for callers that cannot keep cookies. Absent from `GET /api/session`. */
  token?: string;
  /** True when the caller is served through DCS's public endpoint, without a sign-in. */
  public?: boolean;
}

/** `GET /api/health`. */
export interface Health {
  status: 'ok';
  /** The DCS Web API root; only for signed-in callers (it names an internal address). */
  dcsUrl?: string;
  simulator: boolean;
  /** Whether `/api` routes may be called without signing in (DCS public endpoint). */
  publicAccess: boolean;
  version: string;
}

/** One entry of `GET /api/sources`. */
export interface Source {
  id: string;
  kind: 'register' | 'virtualMeter';
  name: string;
  unit: string;
  isInstantaneous: boolean;
  meter?: { id: number; name: string };
}

export interface StandardReadingJson {
  /** ISO-8601 UTC, ending in `Z`. */
  timestamp: string;
  /** A number, or `"NaN"`, `"Infinity"`, `"-Infinity"`. */
  value: number | string;
  status: number;
}

export interface CompleteReadingJson {
  timestamp: string;
  totalValue: number | string;
  periodValue: number | string;
  status: number;
}

export type ReadingJson = StandardReadingJson | CompleteReadingJson;

/** What is known of one source's readings before the readings themselves. */
export interface SourceHeader {
  id: string;
  name: string;
  unit: string;
  periodType: PeriodType;
  format: ReadingsFormat;
  /** ISO-8601 UTC. The span is half-open: [startTime, endTime). */
  startTime: string;
  endTime: string;
  /** Readings expected in the span (one per period); DCS may send fewer where data is missing. */
  expectedCount: number;
}

/** `GET /api/readings?output=json`. */
export interface ReadingsJson {
  sources: Array<SourceHeader & { readings: ReadingJson[] }>;
}

/**
 * `GET /api/readings?output=ndjson`: one JSON object per line, in this order:
 * a `{source}` header, that source's readings (each carrying `id`), the next header, ...,
 * and finally `{end}`. A line `{error}` means the pull failed at that point; a stream without
 * `{end}` is incomplete.
 */
export type NdjsonRecord = { source: SourceHeader } | (ReadingJson & { id: string }) | { end: { sources: number; readings: number } } | ApiError;

/** Every error answer, and the ndjson error record. */
export interface ApiError {
  error: { code: ApiErrorCode; message: string; parameter?: string };
}

export type ApiErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'too_many_sign_ins'
  | 'dcs_failed'
  | 'dcs_timeout'
  /** The caller took none of a pull for STALLED_READER_TIMEOUT; the pull was cut off. */
  | 'reader_stalled'
  | 'internal'
  // Malformed requests (issue 12): each gets its own 4xx, never a 5xx.
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'range_not_satisfiable'
  | 'method_not_allowed'
  // Session caps: this user has too many sessions (429), or the server has (503).
  | 'too_many_sessions'
  | 'server_busy'
  /** A group of that name exists already (POST/PUT /api/groups). */
  | 'conflict';

/**
 * One source's consumption over a billing period: an entry of `GET /api/consumption`.
 * The span is half-open, [start, end): a plain-date `end` in the request means the END of that
 * day in the request's time zone, so a period "1 April to 30 April" includes all of 30 April.
 */
export interface ConsumptionResult {
  /** Normalised source id, e.g. `R101`, `VM3`. */
  id: string;
  name: string;
  unit: string;
  /** ISO-8601 UTC instants bounding the half-open span summed. */
  start: string;
  end: string;
  /** Consumption over [start, end), in `unit`. */
  consumption: number;
  /** Half-hours in the span (46 or 50 on a clock-change day in Europe/London). */
  periods: number;
  /** Half-hours behind the figure that DCS estimated (reading status bit 1). */
  interpolated: number;
  /** Half-hours behind the figure that crossed a register reset (status bit 2). */
  resets: number;
  /** Half-hours with no usable reading (absent, or NaN). */
  missing: number;
  /**
   * How the figure was obtained: `periodValues` (sum of DCS's period values of a cumulative
   * register), `values` (sum of per-period virtual-meter values), `totalsDifference`
   * (difference of running totals, split at resets).
   */
  method?: 'periodValues' | 'values' | 'totalsDifference';
  /**
   * A group's sum (`id` is `group:<slug>`): the sources summed. The figure is the sum of theirs and
   * the counts (periods, interpolated, resets, missing) are their half-hours added up; no `method`.
   */
  members?: string[];
  /** The zone plain dates were read in (canonical IANA name). */
  timeZone?: string;
  /**
   * The time-of-use band asked for (`band=`), as given: the figures then count only the
   * half-hours whose local start is in the band, and `periods` is the band's half-hours.
   */
  band?: string;
}

/** `GET /api/consumption?id=...&start=...&end=...[&timeZone=...]`. */
export interface ConsumptionJson {
  results: ConsumptionResult[];
}

/** One cell's question in `POST /api/consumption/batch`: the fields of `GET /api/consumption`, one source. */
export interface ConsumptionBatchItem {
  id: string;
  start: string;
  /** The first instant not included; or give `lastDay`, the last day included (not both). */
  end?: string;
  lastDay?: string;
  timeZone?: string;
  /** Only the half-hours of this time-of-use band. */
  band?: string;
}

/** `POST /api/consumption/batch` body: the consumption formulas of one recalculation. */
export interface ConsumptionBatchRequest {
  requests: ConsumptionBatchItem[];
}

/** One answer per request, in the same order: its result, or its own error (the others are unaffected). */
export type ConsumptionBatchAnswer = { result: ConsumptionResult } | { error: ApiError['error']; status: number };

export interface ConsumptionBatchJson {
  results: ConsumptionBatchAnswer[];
}

/** Calendar intervals of `GET /api/intervals`, in the request's time zone. */
export type IntervalType = 'halfHour' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

/** What `GET /api/intervals` can compute per interval (`calc=`). */
/**
 * `calc=` of `GET /api/intervals`. `mean`, `min`, `max`, `maxAt`: of the half-hourly values (for an
 * energy register, half-hours' kWh). `maxDemand` (kW: the largest half-hour's kWh × 2),
 * `maxDemandAt` (start of that half-hour) and `loadFactor` (mean demand ÷ maximum demand): only for
 * energy registers and per-period virtual meters in Wh, kWh or MWh.
 */
export type IntervalCalc =
  | 'consumption'
  | 'mean'
  | 'min'
  | 'max'
  | 'maxAt'
  | 'maxDemand'
  | 'maxDemandAt'
  | 'loadFactor'
  | 'baseload'
  | 'outOfHours'
  | 'heatingDegreeDays'
  | 'coolingDegreeDays'
  | 'carbon';

/** `layout=` of `GET /api/intervals`: one row per source and interval, or one column per source. */
export type IntervalLayout = 'long' | 'wide';

/**
 * One interval of one source. `start`, `end` and `maxAt` are ISO-8601 with the zone's offset at
 * that instant (`2023-10-01T00:00:00+01:00`; `Z` in UTC). The span is half-open, [start, end).
 * Figures not asked for with `calc=` are absent; a figure that cannot be had (no usable
 * half-hour, or consumption of an instantaneous source) is `null`.
 */
export interface IntervalJson {
  start: string;
  end: string;
  consumption?: number | null;
  mean?: number | null;
  min?: number | null;
  max?: number | null;
  /** Start of the half-hour holding the maximum (the first, if several). */
  maxAt?: string | null;
  /** Maximum demand (kW for a kWh source): the largest half-hour's energy × 2. */
  maxDemand?: number | null;
  /** Start of the half-hour of maximum demand (the first, if several). */
  maxDemandAt?: string | null;
  /** Mean demand ÷ maximum demand, from 0 to 1. */
  loadFactor?: number | null;
  /** kW: the nearest-rank 10th percentile of the interval's half-hourly demands (energy sources). */
  baseload?: number | null;
  /** Consumption in the half-hours outside `occupied=` (the source's unit). */
  outOfHours?: number | null;
  /** Of a temperature source: Σ max(0, base − the local day's mean of half-hourly temperatures) over the interval's days. */
  heatingDegreeDays?: number | null;
  /** Of a temperature source: Σ max(0, the local day's mean − base). */
  coolingDegreeDays?: number | null;
  /** kgCO2e: each half-hour's kWh × the emission factor of `fuel=` for its local calendar year (docs/monitoring-and-targeting.md). */
  carbon?: number | null;
  /**
   * With `compare=previousYear`: consumption (the mean for an instantaneous source) of the interval
   * a year earlier (52 weeks earlier for days and weeks, the same calendar dates otherwise), the
   * change (this − previous) and the change in percent of previous.
   */
  previous?: number | null;
  change?: number | null;
  changePercent?: number | null;
  /** Half-hours in the interval (46 or 50 on a clock-change day in Europe/London). */
  periods: number;
  /** Half-hours DCS estimated (status bit 1). */
  interpolated: number;
  /** Half-hours flagged as crossing a register reset (status bit 2). */
  resets: number;
  /** Half-hours DCS did not send. */
  missing: number;
  /** Half-hours whose value was NaN or ±Infinity (left out of every figure). */
  invalid: number;
}

/** One source's intervals in `GET /api/intervals?output=json` (long layout). */
export interface IntervalSourceJson {
  id: string;
  name: string;
  unit: string;
  /** `group`: a group's members summed (`combine=sum`); `members` lists them. */
  kind: 'register' | 'virtualMeter' | 'group';
  /** True for power, temperature and other values at an instant (no consumption). */
  isInstantaneous: boolean;
  /** A group's sum: the sources summed. */
  members?: string[];
  interval: IntervalType;
  /** Canonical IANA name. */
  timeZone: string;
  calcs: IntervalCalc[];
  /** The unit of maxDemand (kW for a kWh source); absent for sources without demand (water, instantaneous). */
  demandUnit?: string;
  /** The time-of-use band asked for (`band=`): only its half-hours count, and `periods` counts them. */
  band?: string;
  intervals: IntervalJson[];
}

/** `GET /api/intervals?output=json&layout=long` (the default layout). */
export interface IntervalsJson {
  sources: IntervalSourceJson[];
}

/**
 * `GET /api/intervals?output=json&layout=wide`: one row per interval, one column per source, for
 * exactly one calculation. `columns[i]` describes `rows[*].values[i]`.
 */
export interface IntervalsWideJson {
  interval: IntervalType;
  timeZone: string;
  calc: IntervalCalc;
  columns: Array<{ id: string; name: string; unit: string; header: string }>;
  rows: Array<{ start: string; end: string; values: Array<number | string | null> }>;
}

/**
 * `GET /api/intervals?output=ndjson`: a `{source}` record (the source without its intervals), that
 * source's intervals (each carrying `id`), the next source, ..., and finally `{end}`, the only
 * record whose `end` is an object. A line `{error}` means the pull failed at that point; a stream
 * without the final `{end}` is incomplete.
 */
export type NdjsonIntervalRecord =
  { source: Omit<IntervalSourceJson, 'intervals'> } | (IntervalJson & { id: string }) | { end: { sources: number; intervals: number } } | ApiError;

/** A tariff as `POST /api/bills` takes it (docs/checking-bills.md, "The tariff format"); the Tariffs sheet holds the same fields. */
export interface TariffJson {
  standingChargePerDay?: number;
  units: Array<{ name: string; rate: number; times?: string }>;
  capacity?: { kva: number; ratePerKvaPerDay: number; excessRatePerKvaPerDay?: number };
  maxDemand?: { measure: 'kW' | 'kVA'; rate: number };
  reactive?: { allowance?: number; rate: number };
  levies?: Array<{ name: string; ratePerKwh: number }>;
  vatRate: number;
  gas?: { calorificValue: number; correctionFactor?: number };
  water?: { sewerageRate: number; returnToSewer?: number; sewerageStandingChargePerDay?: number };
}

/** One bill asked of `POST /api/bills`: the supply's registers, the period, the tariff, and the invoice's own lines. */
export interface BillRequestJson {
  supply: { import: string; reactive?: string };
  period: { firstDay: string; lastDay: string; timeZone?: string };
  tariff: TariffJson;
  invoice?: {
    reference?: string;
    lines: Array<{ name: string; quantity?: number; rate?: number; amount: number }>;
    quantityTolerance?: number;
    amountTolerance?: number;
  };
}

/** `GET /api/bills/demo`: the simulator's demo bills, each with its planted error (null when correct). */
export interface DemoBillsJson {
  bills: Array<{ name: string; planted: string | null; flagged: string[]; request: BillRequestJson }>;
}

/** One line of a shadow bill (`POST /api/bills`): amount = quantity × rate, rounded to the penny. */
export interface BillLineJson {
  name: string;
  /** Exact from DCS's half-hours (units, kW, kVA, kVArh), or days / kVA-days. */
  quantity: number;
  /** `kWh`, `m3`, `day`, `kVA-day`, `kW`, `kVA`, `kVArh`. */
  unit: string;
  rate: number;
  amount: number;
  /** For a maximum demand line: the start of the peak half-hour, with the period's zone offset. */
  at?: string;
}

/** How far to trust a bill's quantities: the half-hours behind them. */
export interface BillQualityJson {
  /** Half-hours in the billing period. */
  periods: number;
  /** Half-hours with no usable reading on a register the bill reads (left out of every quantity). */
  missing: number;
  /** Half-hours DCS estimated (status bit 1). */
  estimated: number;
  /** Half-hours crossing a register reset (counted correctly; shown for the record). */
  resets: number;
  /** No half-hour missing or estimated: the quantities are measured in full. */
  complete: boolean;
  /** Half-hours (and their units) that no unit rate's times hold: billed by no unit line. */
  unbanded: { periods: number; quantity: number };
  sources: Array<{ id: string; name: string; unit: string; missing: number; estimated: number; resets: number }>;
}

/** Demand and power quality over the billing period (electricity). */
export interface BillDemandJson {
  /** Active energy over the period, kWh. */
  kwh: number;
  /** Peak half-hour's kWh × 2, and when it started. */
  maxDemandKw: number | null;
  maxDemandKwAt: string | null;
  /** Mean kW ÷ max kW. */
  loadFactor: number | null;
  /** With a reactive register: peak √(kWh² + kVArh²) × 2, and when. */
  maxDemandKva?: number | null;
  maxDemandKvaAt?: string | null;
  kvarh?: number;
  /** Σ kWh ÷ √((Σ kWh)² + (Σ kVArh)²) over half-hours with both readings. */
  powerFactor?: number | null;
  /** Σ per half-hour of max(0, kVArh − allowance × kWh). */
  excessKvarh?: number;
}

export type BillVerdict = 'OK' | 'CHECK' | 'DATA QUALITY' | 'NOT ON BILL' | 'NOT EXPECTED';

/** An invoice line (or an expected one) and what the check makes of it. */
export interface BillCheckJson {
  name: string;
  verdict: BillVerdict;
  expected: { quantity: number; unit: string; rate: number; amount: number } | null;
  billed: { quantity?: number; amount: number } | null;
  /** Billed − expected (null when either side is absent). */
  quantityDifference: number | null;
  amountDifference: number | null;
  reason: string;
}

export interface BillJson {
  supply: { import: string; reactive?: string };
  period: { firstDay: string; lastDay: string; timeZone: string; start: string; end: string; days: number };
  lines: BillLineJson[];
  net: number;
  vatRate: number;
  vat: number;
  total: number;
  quality: BillQualityJson;
  demand?: BillDemandJson;
  /** Gas: the metered volume and its conversion to the kWh billed. */
  gas?: { volume: number; unit: string; correctionFactor: number; calorificValue: number; kwh: number };
  /** With an invoice: a verdict per line, and the summary. */
  check?: {
    reference?: string;
    lines: BillCheckJson[];
    summary: {
      ok: number;
      check: number;
      dataQuality: number;
      notOnBill: number;
      notExpected: number;
      billedTotal: number;
      difference: number;
      atStake: number;
    };
  };
}

/** `POST /api/bills` with `{"bills": [...]}`: each answer in the order asked. */
export interface BillsJson {
  bills: BillJson[];
  /** DCS pulls made: one per distinct source over the span of all its bills. */
  sources: number;
}

/**
 * `GET /api/cusum`: the performance line (consumption = intercept + slope × degree days per
 * interval, least squares over the baseline, with r²) and, for every interval of the baseline and
 * then of the report period, the expected consumption, the difference (actual − expected) and the
 * CUSUM (running sum of differences, restarting at each period's first interval).
 */
/** `GET /api/typical-day`: mean demand per local half-hour of day, weekdays and weekends apart (48 slots each). */
export interface TypicalDayJson {
  id: string;
  name: string;
  /** The demand's unit: kW for a kWh source. */
  unit: string;
  timeZone: string;
  /** Half-hours DCS did not give. */
  missing: number;
  weekday: TypicalSlotJson[];
  weekend: TypicalSlotJson[];
}

export interface TypicalSlotJson {
  /** Local start of the slot, "00:00" to "23:30". */
  time: string;
  /** Mean demand over the slot's half-hours; null when none fell in it. */
  demandKw: number | null;
  samples: number;
}

export interface CusumJson {
  source: { id: string; name: string; unit: string };
  temperature: { id: string; name: string; unit: string };
  interval: IntervalType;
  timeZone: string;
  degreeDays: 'heating' | 'cooling';
  baseTemperature: number;
  model: { intercept: number; slope: number; r2: number | null; points: number };
  intervals: Array<{
    period: 'baseline' | 'report';
    start: string;
    end: string;
    consumption: number | null;
    degreeDays: number | null;
    expected: number | null;
    difference: number | null;
    cusum: number;
    /** Half-hours of consumption DCS estimated, and did not send. */
    interpolated: number;
    missing: number;
    /** Days without any temperature reading: the interval's degree days are then null. */
    daysWithoutTemperature: number;
  }>;
}

/** `POST /api/cusum`: one CusumJson per source of `ids`, in their order. */
export interface CusumsJson {
  reports: CusumJson[];
}

/**
 * A named set of sources (`POST /api/groups`), shared by every user; only its creator may change
 * or delete it. Its id is accepted wherever a source id is (docs/http-api.md, "Groups").
 */
export interface GroupJson {
  /** `group:<slug>`, made from the name when the group was created; it never changes. */
  id: string;
  name: string;
  /** Source ids (`R733`, `VM9`), in the order given. */
  members: string[];
  /** DCS user name of the creator. */
  createdBy: string;
  /** ISO 8601 (UTC). */
  createdAt: string;
  updatedAt: string;
  /** Whether the caller may change or delete it (is its creator). */
  editable: boolean;
}

/** `GET /api/groups`. */
export interface GroupsJson {
  groups: GroupJson[];
}
