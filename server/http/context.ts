/**
 * What every router gets: the configuration, the session store and the logger. Created once by
 * `createApp`; routers mounted by other modules (OData, consumption) receive the same object.
 */
import type { ServerConfig } from '../config';
import type { Logger } from './logger';
import type { RequestsInProgress } from './requests-in-progress';
import type { SessionStore } from './sessions';
import type { StoredReadings } from './stored-readings';
import type { GroupStore } from '../groups/store';

export interface AppContext {
  config: ServerConfig;
  sessions: SessionStore;
  logger: Logger;
  /** The DCS Web API root in use: DCS_URL, or the embedded simulator's URL. */
  dcsUrl: string;
  /** True when dcsUrl is the embedded simulator. */
  simulator: boolean;
  /** The server's own URL once it listens, e.g. http://127.0.0.1:3000: the default base of links. */
  listeningUrl?: string;
  /** The readings store (DATABASE_URL); undefined = every pull goes to DCS. Routes read through `readingsReader`. */
  readingsStore?: StoredReadings;
  /** Groups of sources (server/groups/): PostgreSQL with DATABASE_URL, else a file in DATA_DIR. */
  groups: GroupStore;
  /** Requests in progress per signed-in user (MAX_REQUESTS_PER_USER). */
  requestsInProgress: RequestsInProgress;
}

export type { ServerConfig } from '../config';
export type { Logger } from './logger';
export type { SessionStore } from './sessions';
