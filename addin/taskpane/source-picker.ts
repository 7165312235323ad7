import type { Source } from '../../server/api/types';
import { apiClient, isAbort } from '../api';
import { matchingSources, sourceLabel } from '../query/source-match';
import { byId, debounce, el, show } from './dom';
import { showError } from './messages';

const FILTER_DELAY_MS = 120;
const MAX_SHOWN = 200;
/** More picks than this show as a count, not a wall of chips. */
const MAX_CHIPS = 3;

/**
 * Search over registers and virtual meters: several words in any order across meter, register
 * and id; results grouped by meter with their ids; "Select all matches"; arrow keys move through
 * the list and Space or Enter picks. The catalogue is fetched once and filtered here, so typing
 * costs no requests.
 */
export class SourcePicker {
  readonly #selected = new Map<string, Source>();
  readonly #search = byId<HTMLInputElement>('source-search');
  readonly #results = byId('source-results');
  readonly #selection = byId('selection');
  readonly #status = byId('source-status');
  readonly #selectAll = byId('select-all');
  readonly #listeners: Array<(selected: Source[]) => void> = [];
  readonly #editListeners: Array<(selected: Source[]) => void> = [];
  #catalogue: Source[] | undefined;
  #loading: Promise<Source[]> | undefined;
  #matches: Source[] = [];
  #expanded = false;

  constructor() {
    const filter = debounce(() => void this.filter(), FILTER_DELAY_MS);
    this.#search.addEventListener('input', filter);
    this.#search.addEventListener('focus', () => void this.filter());
    this.#search.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown') {
        event.preventDefault();
        // A fast typist may press ↓ before the list has caught up with the last keystroke: bring
        // it up to date first, so the arrow moves through what the box now says.
        filter.cancel();
        void this.filter().then(() => this.#focusOption(0));
      }
    });
    this.#results.addEventListener('keydown', (event) => this.#onListKey(event));
    this.#selectAll.addEventListener('click', () => this.#selectMatches());
    this.#renderSelection();
  }

  /** The picked sources, in the order they were picked. */
  get selected(): Source[] {
    return [...this.#selected.values()];
  }

  /** Picks exactly these ids (a group's members); returns those not in the caller's catalogue. */
  async pickOnly(ids: readonly string[]): Promise<string[]> {
    const catalogue = await this.#load();
    const byId = new Map(catalogue.map((source) => [source.id, source]));
    this.#selected.clear();
    for (const id of ids) {
      const source = byId.get(id);
      if (source) this.#selected.set(id, source);
    }
    this.#changed();
    return ids.filter((id) => !byId.has(id));
  }

  /** Calls `listener` whenever the picks change. */
  onChange(listener: (selected: Source[]) => void): void {
    this.#listeners.push(listener);
  }

  /** Calls `listener` when the user changes the picks (not when they are restored from the workbook). */
  onEdit(listener: (selected: Source[]) => void): void {
    this.#editListeners.push(listener);
  }

  /**
   * Picks the sources with these ids (kept in the workbook), when nothing is picked yet. Ids the
   * signed-in user cannot read are left out and named in the status line; the workbook keeps them.
   */
  async restore(ids: readonly string[]): Promise<void> {
    if (ids.length === 0 || this.#selected.size > 0) return;
    let catalogue: Source[];
    try {
      catalogue = await this.#load();
    } catch (error) {
      if (!isAbort(error)) showError(error, 'Could not list the sources');
      return;
    }
    const known = new Map(catalogue.map((source) => [source.id, source]));
    const missing = ids.filter((id) => !known.has(id));
    for (const id of ids) {
      const source = known.get(id);
      if (source) this.#selected.set(id, source);
    }
    const others = missing.length < ids.length ? '; the other picks are back' : '';
    this.#status.textContent =
      missing.length === 0
        ? `Picked the ${ids.length === 1 ? 'source' : `${ids.length} sources`} this workbook remembers.`
        : `This workbook remembers ${missing.join(', ')}, which your DCS account does not list${others}.`;
    this.#changed(false);
  }

  /** Forgets the catalogue (e.g. another user signed in). */
  reset(): void {
    this.#catalogue = undefined;
    this.#loading = undefined;
    this.#selected.clear();
    this.#matches = [];
    this.#results.replaceChildren();
    show(this.#results, false);
    this.#renderSelection();
  }

  /** Shows the sources matching the search box. */
  async filter(): Promise<void> {
    const text = this.#search.value.trim();
    let catalogue: Source[];
    try {
      catalogue = await this.#load();
    } catch (error) {
      if (isAbort(error)) return;
      this.#status.textContent = 'The list of sources could not be loaded.';
      showError(error, 'Could not list the sources');
      return;
    }
    this.#matches = matchingSources(catalogue, text);
    this.#renderResults();
    const n = this.#matches.length;
    this.#status.textContent =
      n === 0
        ? `Nothing matches "${text}". Try part of a meter or register name, or an id such as R1001.`
        : n > MAX_SHOWN
          ? `${n} match; showing the first ${MAX_SHOWN}. Type more words to narrow them.`
          : `${n} ${n === 1 ? 'match' : 'matches'}. Arrow keys move, Space picks.`;
    show(this.#selectAll, n > 1 && text !== '');
    this.#selectAll.textContent = n === 1 ? 'Select the 1 match' : `Select all ${n} matches`;
  }

  #load(): Promise<Source[]> {
    if (this.#catalogue) return Promise.resolve(this.#catalogue);
    this.#status.textContent = 'Loading the list of sources…';
    this.#loading ??= apiClient()
      .sources('')
      .then((sources) => (this.#catalogue = sources))
      .finally(() => (this.#loading = undefined));
    return this.#loading;
  }

  #toggle(source: Source): void {
    if (this.#selected.has(source.id)) this.#selected.delete(source.id);
    else this.#selected.set(source.id, source);
    this.#changed();
  }

  #selectMatches(): void {
    for (const source of this.#matches) this.#selected.set(source.id, source);
    this.#changed();
  }

  #changed(byUser = true): void {
    this.#renderSelection();
    this.#renderResults(true);
    for (const listener of this.#listeners) listener(this.selected);
    if (byUser) for (const listener of this.#editListeners) listener(this.selected);
  }

  #renderResults(keepFocus = false): void {
    const focused = keepFocus ? (document.activeElement as HTMLElement | null)?.dataset?.id : undefined;
    const groups = new Map<string, Source[]>();
    for (const source of this.#matches.slice(0, MAX_SHOWN)) {
      const group = source.kind === 'virtualMeter' ? 'Virtual meters' : (source.meter?.name ?? 'Other registers');
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
    show(this.#results, nodes.length > 0);
    this.#search.setAttribute('aria-expanded', nodes.length > 0 ? 'true' : 'false');
    if (focused) this.#results.querySelector<HTMLElement>(`.option[data-id="${focused}"]`)?.focus();
  }

  #option(source: Source): HTMLElement {
    const picked = this.#selected.has(source.id);
    const option = el(
      'div',
      {
        className: 'option',
        role: 'option',
        'aria-selected': picked ? 'true' : 'false',
        tabindex: '-1',
        'data-id': source.id,
        title: `${sourceLabel(source)} (${source.id})`,
      },
      el('span', { className: 'tick', 'aria-hidden': 'true' }, picked ? '✓' : ''),
      el(
        'span',
        { className: 'text' },
        el('span', { className: 'name' }, source.name),
        el(
          'span',
          { className: 'meta' },
          el('span', { className: 'id' }, source.id),
          ` · ${source.unit || 'no unit'} · ${source.isInstantaneous ? 'instantaneous' : 'cumulative'}`,
        ),
      ),
    );
    option.addEventListener('click', () => this.#toggle(source));
    return option;
  }

  #options(): HTMLElement[] {
    return [...this.#results.querySelectorAll<HTMLElement>('.option')];
  }

  #focusOption(index: number): void {
    const options = this.#options();
    if (options.length === 0) return;
    options[Math.max(0, Math.min(index, options.length - 1))].focus();
  }

  #onListKey(event: KeyboardEvent): void {
    const options = this.#options();
    const index = options.indexOf(document.activeElement as HTMLElement);
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: options.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      if (event.key === 'ArrowUp' && index <= 0) this.#search.focus();
      else this.#focusOption(moves[event.key]);
    } else if ((event.key === ' ' || event.key === 'Enter') && index >= 0) {
      event.preventDefault();
      const source = this.#matches.find((s) => s.id === options[index].dataset.id);
      if (source) this.#toggle(source);
    } else if (event.key === 'Escape') {
      this.#search.focus();
    }
  }

  #renderSelection(): void {
    const picked = this.selected;
    if (picked.length === 0) {
      this.#selection.replaceChildren(el('span', { className: 'muted small' }, 'Nothing picked yet.'));
      return;
    }
    const chips = picked.map((source) => this.#chip(source));
    if (picked.length <= MAX_CHIPS) {
      this.#selection.replaceChildren(...chips);
      return;
    }
    const count = el('span', { className: 'count' }, `${picked.length} sources selected`);
    const toggle = el('button', { type: 'button', className: 'link', 'aria-expanded': this.#expanded ? 'true' : 'false' }, this.#expanded ? 'Hide' : 'Show');
    toggle.addEventListener('click', () => {
      this.#expanded = !this.#expanded;
      this.#renderSelection();
    });
    const clear = el('button', { type: 'button', className: 'link' }, 'Clear all');
    clear.addEventListener('click', () => {
      this.#selected.clear();
      this.#changed();
    });
    const summary = el('div', { className: 'summary' }, count, toggle, clear);
    this.#selection.replaceChildren(summary, ...(this.#expanded ? chips : []));
  }

  #chip(source: Source): HTMLElement {
    const label = sourceLabel(source);
    const remove = el('button', { type: 'button', 'aria-label': `Remove ${label}` }, '✕');
    remove.addEventListener('click', () => this.#toggle(source));
    // Id and register first: many registers share a meter's long name.
    return el(
      'span',
      { className: 'chip', title: `${label} (${source.id}, ${source.unit})` },
      el('span', {}, `${source.id} ${source.name} · ${source.meter?.name ?? 'virtual meter'}`),
      remove,
    );
  }
}
