/**
 * The source-id grammar, as the add-in reads it before asking the server. The add-in may not import
 * the server's code, so this is a copy of packages/dcs-client/src/source-id.ts (the one definition);
 * test/addin/query/source-id.test.ts fails if the two ever disagree.
 */

/** The largest id DCS can hold (an unsigned 32-bit integer). */
const MAX_SOURCE_ID = 4_294_967_295;

const SOURCE_ID = /^(r|vm)(\d+)$/i;

/** `r0733` → `R733`, `vm9` → `VM9`; undefined when `text` is not a source id. */
export function normaliseSourceId(text: string): string | undefined {
  const match = SOURCE_ID.exec(text.trim());
  if (!match) return undefined;
  const number = Number(match[2]);
  if (number > MAX_SOURCE_ID) return undefined;
  return `${match[1].length === 2 ? 'VM' : 'R'}${number}`;
}

const GROUP_ID = /^group:([a-z0-9]+(?:-[a-z0-9]+)*)$/i;
const MAX_GROUP_SLUG = 60;

/**
 * `Group:Plant-Room` → `group:plant-room`; undefined when `text` is not a group id. A copy of
 * server/groups/group.ts `parseGroupId` (test/addin/query/source-id.test.ts holds them together).
 */
export function normaliseGroupId(text: string): string | undefined {
  const match = GROUP_ID.exec(text.trim());
  if (!match || match[1].length > MAX_GROUP_SLUG) return undefined;
  return `group:${match[1].toLowerCase()}`;
}
