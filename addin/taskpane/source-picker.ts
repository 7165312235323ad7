import type { Source } from '../../server/api/types';
import { apiClient, isAbort } from '../api';
import { messageOf } from '../excel/errors';
import { byId, debounce, el } from './dom';

const SEARCH_DELAY_MS = 250;
const MAX_SHOWN = 200;

/**
 * Search-as-you-type over registers and virtual meters, grouped by meter (virtual meters in a
 * group of their own), each showing its unit and whether it is cumulative or instantaneous.
 * Several can be picked; the picks show as chips.
 */
export class SourcePicker {
  readonly #selected = new Map<string, Source>();
  readonly #search = byId<HTMLInputElement>('source-search');
  readonly #results = byId('source-results');
  readonly #chips = byId('chips');
  readonly #status = byId('source-status');
  #inFlight: AbortController | undefined;
  #shown: Source[] = [];

  constructor() {
    const search = debounce(() => void this.search(this.#search.value), SEARCH_DELAY_MS);
    this.#search.addEventListener('input', search);
    this.#search.addEventListener('focus', () => {
      if (this.#shown.length === 0) void this.search(this.#search.value);
    });
    this.#renderChips();
  }

  /** The picked sources, in the order they were picked. */
  get selected(): Source[] {
    return [...this.#selected.values()];
  }

  clearResults(): void {
    this.#inFlight?.abort();
    this.#shown = [];
    this.#results.replaceChildren();
    this.#status.textContent = '';
  }

  /** Asks the server for matching sources; a newer search cancels an older one. */
  async search(text: string): Promise<void> {
    this.#inFlight?.abort();
    const controller = new AbortController();
    this.#inFlight = controller;
    this.#status.textContent = 'Searching…';
    try {
      const sources = await apiClient().sources(text.trim(), controller.signal);
      if (controller.signal.aborted) return;
      this.#shown = sources;
      this.#renderResults();
      this.#status.textContent =
        sources.length === 0
          ? `Nothing matches "${text.trim()}". Try part of a meter or register name.`
          : sources.length > MAX_SHOWN
            ? `${sources.length} match; showing the first ${MAX_SHOWN}. Type more to narrow them.`
            : `${sources.length} ${sources.length === 1 ? 'match' : 'matches'}.`;
    } catch (error) {
      if (isAbort(error) || controller.signal.aborted) return;
      this.#status.textContent = messageOf(error);
    }
  }

  #toggle(source: Source): void {
    if (this.#selected.has(source.id)) this.#selected.delete(source.id);
    else this.#selected.set(source.id, source);
    this.#renderChips();
    this.#renderResults();
  }

  #renderResults(): void {
    const groups = new Map<string, Source[]>();
    for (const source of this.#shown.slice(0, MAX_SHOWN)) {
      const group = source.kind === 'virtualMeter' ? 'Virtual meters' : source.meter?.name ?? 'Other registers';
      groups.set(group, [...(groups.get(group) ?? []), source]);
    }
    // Meters first (in the server's order), virtual meters last.
    const ordered = [...groups.entries()].sort(([a], [b]) => Number(a === 'Virtual meters') - Number(b === 'Virtual meters'));
    const nodes: HTMLElement[] = [];
    for (const [group, sources] of ordered) {
      nodes.push(el('div', { className: 'group-header', role: 'presentation' }, group));
      for (const source of sources) nodes.push(this.#option(source));
    }
    this.#results.replaceChildren(...nodes);
  }

  #option(source: Source): HTMLElement {
    const picked = this.#selected.has(source.id);
    const option = el(
      'div',
      { className: 'option', role: 'option', 'aria-selected': picked ? 'true' : 'false', tabindex: '0', 'data-id': source.id },
      el('span', { className: 'tick', 'aria-hidden': 'true' }, picked ? '✓' : ''),
      el('span', { className: 'name', title: `${source.name} (${source.id})` }, source.name),
      el('span', { className: 'meta' }, source.unit || 'no unit', el('span', { className: 'tag' }, source.isInstantaneous ? 'instantaneous' : 'cumulative')),
    );
    option.addEventListener('click', () => this.#toggle(source));
    option.addEventListener('keydown', (event) => {
      if (event.key === ' ' || event.key === 'Enter') {
        event.preventDefault();
        this.#toggle(source);
      }
    });
    return option;
  }

  #renderChips(): void {
    const chips = this.selected.map((source) => {
      const label = source.meter ? `${source.meter.name}: ${source.name}` : source.name;
      const remove = el('button', { type: 'button', 'aria-label': `Remove ${label}` }, '✕');
      remove.addEventListener('click', () => this.#toggle(source));
      return el('span', { className: 'chip', title: `${label} (${source.id}, ${source.unit})` }, el('span', {}, label), remove);
    });
    this.#chips.replaceChildren(...chips);
  }
}
