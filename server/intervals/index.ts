/**
 * Calculated data: consumption and statistics per local half-hour, hour, day, week, month,
 * quarter and year, computed exactly from DCS's own half-hourly figures. Every surface (HTTP,
 * consumption, OData, the add-in through HTTP) uses this one calculation.
 */
export { cleanNumber, IntervalAccumulator, type IntervalFigures } from './accumulator';
export { floorToInterval, INTERVAL_TYPES, intervalBoundaries, isIntervalStart, nextIntervalStart } from './calendar';
export {
  DEFAULT_CALCS,
  INTERVAL_CALCS,
  parseCalcs,
  readBaseTemperature,
  parseInterval,
  resolveIntervalsRequest,
  type IntervalsInput,
  type IntervalsRequest,
} from './request';
export { type IntervalMethod } from './source-intervals';
export {
  calcsFor,
  resolveSources,
  streamIntervals,
  streamSourceIntervals,
  type IntervalEvent,
  type IntervalSourceInfo,
  type StreamIntervalsOptions,
} from './stream';
export { DEMAND_CALCS, demandUnit } from './demand';
export { calcNumber, calcValue, columnHeader, formatIntervalTime, intervalToJson, isTimeCalc, sourceToJson } from './wire';
