import { loadable, nullable, type Batch } from './batch';
import { fail } from './errors';

/** Workbook.settings: the add-in's own JSON values, saved with the file. Methods only (see worksheetCollection). */
export function settingCollection(settings: Map<string, unknown>, batch: Batch): Record<string, unknown> {
  const setting = (k: string, value: () => unknown, onDelete: () => void) => {
    const proxy: Record<string, unknown> = {};
    loadable(proxy, 'Setting', { value, key: () => k }, batch);
    proxy.delete = () => batch.enqueue(onDelete);
    return proxy;
  };
  const exists = (k: string) => settings.has(k) || fail('ItemNotFound', `There is no setting '${k}'.`);
  return {
    add: (k: string, value: unknown) => {
      const stored = JSON.parse(JSON.stringify(value)) as unknown; // settings hold JSON only
      batch.countBytes(stored);
      batch.enqueue(() => void settings.set(k, stored));
    },
    getItem: (k: string) =>
      setting(
        k,
        () => exists(k) && settings.get(k),
        () => exists(k) && settings.delete(k),
      ),
    getItemOrNullObject: (k: string) =>
      nullable(
        setting(
          k,
          () => settings.get(k),
          () => settings.delete(k),
        ),
        () => settings.has(k),
        batch,
      ),
  };
}
