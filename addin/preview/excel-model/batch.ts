import { MemoryExcelError, fail } from './errors';

/**
 * Office.js's batching: property writes and method calls are queued and run in order at
 * `context.sync()`; loaded properties can be read only after a sync; null objects say
 * `isNullObject` only after a sync; a batch whose data exceeds Excel on the web's 5 MB request
 * limit is rejected whole. A batch is not a transaction: when one command fails, the commands
 * before it stay applied and the rest are skipped.
 */

/** Excel on the web's limit on one request's size. */
export const REQUEST_LIMIT_BYTES = 5_000_000;

/** Statistics of what crossed the (imaginary) wire, for tests about request sizes. */
export interface SyncStats {
  syncs: number;
  /** Estimated bytes of cell data per sync that carried any. */
  requestBytes: number[];
}

type Command = () => void;

export class Batch {
  readonly stats: SyncStats = { syncs: 0, requestBytes: [] };
  /** While true (the user is typing in a cell), a sync without delayForCellEdit fails. */
  cellEditing = false;
  #queue: Command[] = [];
  #pendingBytes = 0;
  #responseBytes = 0;
  #nextFailure: Error | undefined;
  readonly #listeners: Array<() => void> = [];

  /** Queues a command to run at the next sync. */
  enqueue(command: Command): void {
    this.#queue.push(command);
  }

  /** Counts data written by the batch against the request limit. */
  countBytes(data: unknown): void {
    this.#pendingBytes += JSON.stringify(data).length;
  }

  /** Counts data a batch's loads send back, against the same limit (checked once the batch has run). */
  countResponse(data: unknown): void {
    this.#responseBytes += JSON.stringify(data).length;
  }

  failNextSync(error: Error): void {
    this.#nextFailure = error;
  }

  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  async sync(options: { delayForCellEdit?: boolean } = {}): Promise<void> {
    const commands = this.#queue;
    const bytes = this.#pendingBytes;
    this.#queue = [];
    this.#pendingBytes = 0;
    if (this.cellEditing && options.delayForCellEdit !== true) {
      // Real Excel rejects the whole batch; the queued commands are dropped.
      throw new MemoryExcelError(
        'InvalidOperationInCellEditMode',
        'Excel is in cell-editing mode. Please exit the edit mode by pressing ENTER or TAB or selecting another cell, and then try again.',
      );
    }
    this.stats.syncs++;
    if (bytes > 0) this.stats.requestBytes.push(bytes);
    if (this.#nextFailure) {
      const error = this.#nextFailure;
      this.#nextFailure = undefined;
      throw error;
    }
    if (bytes > REQUEST_LIMIT_BYTES) {
      throw new MemoryExcelError(
        'RequestPayloadSizeLimitExceeded',
        `The request payload size (${bytes} bytes) has exceeded the limit of ${REQUEST_LIMIT_BYTES} bytes.`,
      );
    }
    this.#responseBytes = 0;
    try {
      for (const command of commands) command();
    } finally {
      for (const listener of this.#listeners) listener();
    }
    const answered = this.#responseBytes;
    if (answered > REQUEST_LIMIT_BYTES) {
      throw new MemoryExcelError(
        'RequestPayloadSizeLimitExceeded',
        `The response payload size (${answered} bytes) has exceeded the limit of ${REQUEST_LIMIT_BYTES} bytes.`,
      );
    }
  }
}

/** Proxies of null objects (getItemOrNullObject that found nothing): loading from them loads nothing. */
const nullObjects = new WeakMap<object, () => boolean>();

const notLoaded = (name: string, kind: string): never =>
  fail('PropertyNotLoaded', `The property '${name}' of ${kind} is not available. Before reading it, call load() on the object and sync().`);

/** The property names a `load()` call asks for: all when none are given; navigation loads (a/b) are skipped. */
export function loadNames(what: string | string[] | undefined, all: readonly string[]): string[] {
  if (what === undefined) return [...all];
  return (Array.isArray(what) ? what : what.split(',')).map((n) => n.trim()).filter((n) => n !== '' && !n.includes('/'));
}

/**
 * Makes `properties` of `target` loadable: readable only after load() and a sync, with the value
 * each getter computes at sync time. Adds `load`.
 */
export function loadable<T extends object>(target: T, kind: string, properties: Record<string, () => unknown>, batch: Batch): T {
  const loaded = new Map<string, unknown>();
  const wanted = new Set<string>();
  for (const name of Object.keys(properties)) {
    if (Object.prototype.hasOwnProperty.call(target, name)) continue;
    Object.defineProperty(target, name, {
      enumerable: true,
      configurable: true,
      get: () => (loaded.has(name) ? loaded.get(name) : notLoaded(name, kind)),
    });
  }
  (target as { load: (what?: string | string[]) => T }).load = (what?: string | string[]) => {
    for (const name of loadNames(what, Object.keys(properties))) {
      if (!(name in properties)) fail('InvalidArgument', `${kind} has no property '${name}' to load.`);
      wanted.add(name);
    }
    const snapshot = [...wanted];
    batch.enqueue(() => {
      if (nullObjects.get(target)?.()) return;
      for (const name of snapshot) loaded.set(name, properties[name]());
    });
    return target;
  };
  return target;
}

/** Makes a loadable property writable too: `set` runs when the property is assigned; reading still needs load() and sync(). */
export function writableLoadable(target: object, name: string, set: (value: never) => void): void {
  const loadedValue = Object.getOwnPropertyDescriptor(target, name)!;
  Object.defineProperty(target, name, { enumerable: true, get: () => (loadedValue.get as () => unknown).call(target), set });
}

/** Says when a proxy stands for nothing, so that loading from it loads nothing. */
export function markNullObject(proxy: object, missing: () => boolean): void {
  nullObjects.set(proxy, missing);
}

/** Adds `isNullObject` (known after a sync) to a proxy that may stand for nothing. */
export function nullable<T extends object>(proxy: T, exists: () => boolean, batch: Batch): T {
  let state: boolean | undefined;
  markNullObject(proxy, () => !exists());
  batch.enqueue(() => {
    state = exists();
  });
  Object.defineProperty(proxy, 'isNullObject', {
    get: () => (state === undefined ? fail('PropertyNotLoaded', 'isNullObject is known only after sync().') : !state),
  });
  return proxy;
}

/** A ClientResult: `value` readable after a sync. */
export function clientResult<T>(compute: () => T, batch: Batch): { value: T } {
  let state: { value: T } | undefined;
  batch.enqueue(() => {
    state = { value: compute() };
  });
  return {
    get value(): T {
      return state ? state.value : fail('PropertyNotLoaded', 'The value is known only after sync().');
    },
  };
}
