/**
 * Groups in a JSON file (`<DATA_DIR>/groups.json`) when there is no database. Every change is
 * written to a temporary file in the same folder and renamed over the old one, so a crash leaves
 * the old file or the new one, never half of either; changes within the process queue one after
 * another, so two at once cannot lose each other's work. One server process per file: several
 * instances share groups through PostgreSQL (DATABASE_URL).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Group } from './group';
import { GroupConflictError, nameKey, type GroupStore } from './store';

interface GroupsFile {
  version: 1;
  groups: Group[];
}

export const GROUPS_FILE_NAME = 'groups.json';

export class FileGroupStore implements GroupStore {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, GROUPS_FILE_NAME);
  }

  async list(): Promise<Group[]> {
    await this.queue.catch(() => undefined);
    return this.read();
  }

  async get(id: string): Promise<Group | undefined> {
    return (await this.list()).find((group) => group.id === id);
  }

  create(group: Group): Promise<void> {
    return this.change((groups) => {
      const taken = groups.find((other) => other.id === group.id || nameKey(other.name) === nameKey(group.name));
      if (taken) throw new GroupConflictError(taken);
      groups.push(group);
      return { groups, result: undefined };
    });
  }

  update(group: Group): Promise<boolean> {
    return this.change((groups) => {
      const index = groups.findIndex((other) => other.id === group.id);
      if (index < 0) return { groups, result: false };
      const taken = groups.find((other) => other.id !== group.id && nameKey(other.name) === nameKey(group.name));
      if (taken) throw new GroupConflictError(taken);
      groups[index] = group;
      return { groups, result: true };
    });
  }

  delete(id: string): Promise<boolean> {
    return this.change((groups) => {
      const kept = groups.filter((group) => group.id !== id);
      return { groups: kept, result: kept.length !== groups.length };
    });
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  /** Runs one change after those before it: read, change, write (temporary file, then rename). */
  private change<T>(edit: (groups: Group[]) => { groups: Group[]; result: T }): Promise<T> {
    const next = this.queue
      .catch(() => undefined)
      .then(async () => {
        const { groups, result } = edit(await this.read());
        await this.write(groups);
        return result;
      });
    this.queue = next;
    return next;
  }

  private async read(): Promise<Group[]> {
    let text: string;
    try {
      text = await fs.promises.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const parsed = JSON.parse(text) as Partial<GroupsFile>;
    if (parsed.version !== 1 || !Array.isArray(parsed.groups)) throw new Error(`${this.file} is not a groups file (version 1)`);
    return parsed.groups;
  }

  private async write(groups: Group[]): Promise<void> {
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    const body: GroupsFile = { version: 1, groups };
    try {
      const handle = await fs.promises.open(temporary, 'w', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(body, null, 2)}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.promises.rename(temporary, this.file);
    } catch (error) {
      await fs.promises.rm(temporary, { force: true });
      throw error;
    }
  }
}
