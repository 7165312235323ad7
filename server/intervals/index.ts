/**
 * Calculated data: consumption and statistics per local half-hour, hour, day, week, month,
 * quarter and year, computed exactly from DCS's own half-hourly figures. Every surface (HTTP,
 * consumption, OData, the add-in through HTTP) uses this one calculation.
 */
export { IntervalAccumulator, type IntervalFigures } from './accumulator';
export { floorToInterval, intervalBoundaries, isIntervalStart, nextIntervalStart } from './calendar';
export { INTERVAL_CALCS, parseInterval, readBaseTemperature, resolveIntervalsRequest, type IntervalsRequest } from './request';
export { calcsFor, targetCalcs, resolveSources, streamSourceIntervals, type IntervalSourceInfo, type StreamIntervalsOptions } from './stream';
export { calcNumber, calcValue, columnHeader, formatIntervalTime, intervalToJson, isTimeCalc, sourceToJson } from './wire';
