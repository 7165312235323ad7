/** The DCS client library: everything a caller needs, and nothing of how it is done. */
export { DcsClient } from './client';
export {
  DcsError,
  DcsQueryError,
  DcsBadRequestError,
  DcsSpanTooLongError,
  DcsAuthenticationError,
  DcsForbiddenError,
  DcsRateLimitError,
  DcsServerError,
  DcsNetworkError,
  DcsTimeoutError,
  DcsProtocolError,
  DcsStalledReaderError,
} from './errors';
export type { DcsErrorInit, DcsErrorCode } from './errors';
export { PERIOD_TYPES, ReadingStatus } from './types';
export { parsePeriodType } from './period-types';
export { parseSourceId, MAX_SOURCE_ID, type SourceId } from './source-id';
export type {
  PeriodType,
  ReadingsFormat,
  Register,
  Meter,
  RegisterAlias,
  VirtualMeter,
  SignInInfo,
  TimeInput,
  ReadingsQuery,
  Reading,
  CompleteReading,
  AnyReading,
  ReadingsHeader,
  ReadingsResult,
  ReadingsStream,
  CallOptions,
  StreamOptions,
  SpoolOptions,
  LargeReadingsOptions,
  DcsClientOptions,
  RetryOptions,
  RequestHooks,
  RequestEvent,
  EndpointRegistry,
  EndpointPace,
  SpanCap,
  SessionLock,
  Release,
  RateLimitHeaders,
  Clock,
} from './types';
export { createLocalEndpoints, endpointKey, EndpointState, LocalEndpointPace, LocalSpanCap } from './endpoint';
export { TransactionLock } from './lock';
export { normaliseSourceId } from './query';
export { sleep, systemClock } from './abort';
export { planWindows, countWindows, availableEnd, floorToPeriod, ceilToPeriod, isPeriodStart, addPeriods, countPeriods, MS_PER_DAY } from './periods';
export { formatDcsTime, toEpochMs, parseIsoToMs } from './time';
