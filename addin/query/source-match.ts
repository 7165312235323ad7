import type { Source } from '../../server/api/types';

/**
 * Whether a source matches what the user typed: every word, in any order, somewhere in its
 * meter's name, its own name, its id or its unit ("library elec", "elec library" and "R1001"
 * all find the library's electricity register). Case does not matter.
 */
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

/** How a source is named in lists and chips: its meter, then itself. */
export function sourceLabel(source: Source): string {
  return source.meter ? `${source.meter.name}: ${source.name}` : source.name;
}
