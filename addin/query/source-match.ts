import type { Source } from '../../server/api/types';

/**
 * The task pane's source search is the server's (`server/sources/source-match.ts`: every word, in
 * any order, across meter name, name, id and unit), imported as the one calendar is: that module is
 * DOM-free and imports only wire types (it is listed in `addin/tsconfig.json`).
 */
export { matchingSources, sourceMatches } from '../../server/sources/source-match';

/** How a source is named in lists and chips: its meter, then itself. */
export function sourceLabel(source: Source): string {
  return source.meter ? `${source.meter.name}: ${source.name}` : source.name;
}
