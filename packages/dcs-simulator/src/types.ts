/**
 * The simulator's public option and handle types (the contract in CONTRIBUTING.md).
 */

/** Misbehaviour to inject, for testing how clients cope with a flaky DCS. */
export interface Faults {
  /** Delay before answering any request, in milliseconds. */
  latencyMs?: number;
  /** Every Nth request (1-based, counted from the last setFaults) answers `failStatus`. */
  failEveryNth?: number;
  /** Status for `failEveryNth` answers: 500, 502, 503 or 504 are typical. Default 503. */
  failStatus?: number;
  /**
   * Every Nth readings request (counted from the last setFaults) sends its headers and part of
   * its body, then the connection is destroyed mid-body.
   */
  cutEveryNth?: number;
}

export interface SimulatorOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Span cap for one /readings call, in days; 0/undefined = none. */
  rangeLimitDays?: number;
  /** Requests per period per endpoint (authenticated and public counted apart); undefined = none. */
  rateLimit?: { requests: number; periodSeconds: number };
  /** undefined = sessions never expire. Fractions allowed. Runs on `sessionClock`. */
  sessionTtlSeconds?: number;
  /** The wall clock sessions expire by (epoch ms); default Date.now. Tests inject one to expire sessions deterministically. */
  sessionClock?: () => number;
  /** /public/... enabled; default true. */
  publicMode?: boolean;
  faults?: Faults;
  /**
   * Clock for the DATA: which readings exist (none at or after now) and where the demo estate's
   * features sit (anchored to now() at start). Rate-limit windows and session expiry use the
   * wall clock, so that they behave the same under a fixed data clock.
   */
  now?: () => Date;
  /**
   * Further buildings after the demo estate's 17 (0 to `MAX_EXTRA_BUILDINGS`, 40; default 0), for work at a larger
   * scale: each adds an electricity main incomer (import, export, power, V, A, reactive), gas and
   * water meter, numbered after every id of the demo estate, which stays as it is.
   */
  extraBuildings?: number;
}

export interface RunningSimulator {
  /** API root with trailing slash, e.g. http://127.0.0.1:41234/ */
  url: string;
  close(): Promise<void>;
  setFaults(faults: Faults): void;
  expireAllSessions(): void;
  readonly requestCount: number;
}

export interface DemoAccount {
  username: string;
  password: string;
  role: string;
  description: string;
}
