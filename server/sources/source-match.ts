/**
 * The one search over sources, for GET /api/sources?q=, OData's Sources ($search) and, through
 * the API, =DCS.SOURCES: every word typed, in any order, somewhere in the source's meter name,
 * its own name, its id, its unit (or "virtual" for a virtual meter); case does not matter. So
 * "library electricity", "electricity library" and "r1001" all find the library's electricity
 * register. The task pane filters with these very functions (through `addin/query/source-match.ts`),
 * so this module stays DOM-free and imports nothing but wire types.
 */
import type { Source } from '../api/types';

/** Whether a source matches what the user typed; blank text matches everything. */
export function sourceMatches(source: Source, text: string): boolean {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = `${source.meter?.name ?? ''} ${source.name} ${source.id} ${source.unit} ${source.kind === 'virtualMeter' ? 'virtual' : ''}`.toLowerCase();
  return words.every((word) => haystack.includes(word));
}

/** The sources matching `text`, in the catalogue's order. */
export function matchingSources(sources: readonly Source[], text: string): Source[] {
  return sources.filter((source) => sourceMatches(source, text));
}
