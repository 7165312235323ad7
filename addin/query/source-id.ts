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
