import type { GroupJson, Source } from '../../server/api/types';
import { apiClient, isAbort } from '../api';
import { byId, el, show } from './dom';
import { showError, showMessage } from './messages';
import type { SourcePicker } from './source-picker';

/**
 * Groups in the source picker: the server's groups listed under the picks (a click picks the
 * group's members), and "Save as group" to keep the current picks under a name for everyone.
 * The group's id (`group:<slug>`) is shown, since formulas and Power Query take it as a source id.
 */
export class GroupBar {
  readonly #list = byId('group-list');
  readonly #save = byId<HTMLButtonElement>('save-group');
  readonly #form = byId<HTMLFormElement>('group-form');
  readonly #name = byId<HTMLInputElement>('group-name');
  #groups: GroupJson[] = [];

  constructor(private readonly picker: SourcePicker) {
    picker.onChange((selected) => this.#showSave(selected));
    this.#save.addEventListener('click', () => {
      show(this.#form, true);
      this.#name.focus();
    });
    byId('group-cancel').addEventListener('click', () => show(this.#form, false));
    // Enter in the name box submits the form; the Save button is a Fluent element, so it is listened to apart.
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#create();
    });
    byId('group-submit').addEventListener('click', () => void this.#create());
    this.#showSave([]);
    this.#render();
  }

  /** Lists the server's groups (after sign-in). */
  async refresh(): Promise<void> {
    try {
      this.#groups = await apiClient().groups();
    } catch (error) {
      if (!isAbort(error)) showError(error, 'Could not list the groups');
      return;
    }
    this.#render();
  }

  /** Forgets the groups (signed out). */
  reset(): void {
    this.#groups = [];
    show(this.#form, false);
    this.#render();
  }

  #showSave(selected: Source[]): void {
    show(this.#save, selected.length > 0);
    this.#save.textContent = selected.length === 1 ? 'Save as group (1 source)' : `Save as group (${selected.length} sources)`;
    if (selected.length === 0) show(this.#form, false);
  }

  async #create(): Promise<void> {
    const name = this.#name.value.trim();
    const members = this.picker.selected.map((source) => source.id);
    if (name === '') {
      showMessage('Give the group a name, e.g. "Engineering electricity".', 'warning');
      return;
    }
    try {
      const group = await apiClient().createGroup(name, members);
      this.#groups = [...this.#groups.filter((g) => g.id !== group.id), group];
      this.#name.value = '';
      show(this.#form, false);
      this.#render();
      showMessage(
        `Saved ${members.length} sources as ${group.id}: use it as a source id, e.g. =DCS.CONSUMPTION("${group.id}", ...).`,
        'success',
        'Group saved',
      );
    } catch (error) {
      if (!isAbort(error)) showError(error, 'Could not save the group');
    }
  }

  #render(): void {
    if (this.#groups.length === 0) {
      this.#list.replaceChildren(el('span', { className: 'muted small' }, 'No groups yet: pick sources, then Save as group.'));
      return;
    }
    this.#list.replaceChildren(...this.#groups.map((group) => this.#item(group)));
  }

  #item(group: GroupJson): HTMLElement {
    const count = group.members.length === 1 ? '1 source' : `${group.members.length} sources`;
    const button = el(
      'button',
      { type: 'button', className: 'group', title: `${group.members.join(', ')} (made by ${group.createdBy})` },
      el('span', { className: 'name' }, group.name),
      el('span', { className: 'meta' }, el('span', { className: 'id' }, group.id), ` · ${count} · by ${group.createdBy}`),
    );
    button.addEventListener('click', () => void this.#pick(group));
    return button;
  }

  async #pick(group: GroupJson): Promise<void> {
    try {
      const unseen = await this.picker.pickOnly(group.members);
      if (unseen.length > 0) showMessage(`Picked the members of ${group.name} you may read; DCS does not show you ${unseen.join(', ')}.`, 'warning');
    } catch (error) {
      if (!isAbort(error)) showError(error, 'Could not pick the group');
    }
  }
}
