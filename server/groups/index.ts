/**
 * Groups of sources: their definition (group.ts), where they are kept (a JSON file in DATA_DIR, or
 * PostgreSQL with DATABASE_URL) and how a request's ids become the sources to pull (resolve.ts).
 */
import type { ServerConfig } from '../config';
import { FileGroupStore } from './file-store';
import { openPgGroupStore } from './pg-store';
import type { GroupStore } from './store';

export type { Group, GroupInput } from './group';
export { parseGroupId, looksLikeGroupId, readGroupInput, slugOf, GROUP_PREFIX, MAX_GROUP_MEMBERS } from './group';
export { GroupConflictError, type GroupStore } from './store';
export { FileGroupStore } from './file-store';
export {
  parseCombine,
  resolveTargets,
  resolveMemberSources,
  isGroupSum,
  targetId,
  groupSum,
  findGroup,
  type Combine,
  type GroupSum,
  type Target,
} from './resolve';
export { openPgGroupStore } from './pg-store';

/** PostgreSQL when DATABASE_URL is set (shared by every instance), else `<DATA_DIR>/groups.json`. */
export function openGroupStore(
  config: Pick<ServerConfig, 'databaseUrl' | 'databaseTimeout' | 'dataDir'>,
  onError: (error: Error) => void,
): Promise<GroupStore> {
  if (config.databaseUrl === undefined) return Promise.resolve(new FileGroupStore(config.dataDir));
  return openPgGroupStore({ databaseUrl: config.databaseUrl, timeoutMs: config.databaseTimeout * 1000, onError });
}
