/**
 * The two places groups are kept behave alike: the JSON file in DATA_DIR (atomic replace, changes
 * queued within the process) and PostgreSQL (a throwaway cluster on a free port). Same contract,
 * run against both.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileGroupStore, GroupConflictError, openPgGroupStore, type Group, type GroupStore } from '../../server/groups';
import { skipWithoutPostgres, startPostgres, type RunningService } from '../support/services';

function group(slug: string, name: string, members = ['R1'], createdBy = 'demo'): Group {
  const at = new Date(Date.UTC(2026, 0, 1)).toISOString();
  return { id: `group:${slug}`, name, members, createdBy, createdAt: at, updatedAt: at };
}

function contract(open: () => Promise<GroupStore>): void {
  let store: GroupStore;
  before(async () => {
    store = await open();
  });
  after(() => store.close());

  it('creates, reads back, lists oldest first, updates and deletes', async () => {
    await store.create(group('a', 'Alpha', ['R1', 'VM2']));
    await store.create({ ...group('b', 'Beta'), createdAt: new Date(Date.UTC(2026, 0, 2)).toISOString() });
    assert.deepEqual(await store.get('group:a'), group('a', 'Alpha', ['R1', 'VM2']));
    assert.deepEqual(
      (await store.list()).map((g) => g.id),
      ['group:a', 'group:b'],
    );
    const changed = { ...group('a', 'Alpha two', ['R3']), updatedAt: new Date(Date.UTC(2026, 1, 1)).toISOString() };
    assert.equal(await store.update(changed), true);
    assert.deepEqual(await store.get('group:a'), changed);
    assert.equal(await store.update(group('zzz', 'Nobody')), false);
    assert.equal(await store.delete('group:b'), true);
    assert.equal(await store.delete('group:b'), false);
    assert.equal(await store.get('group:b'), undefined);
    await store.delete('group:a');
  });

  it('refuses a taken id, or a name differing only in case and punctuation, naming the group there', async () => {
    await store.create(group('plant', 'Plant room', ['R1'], 'alice'));
    await assert.rejects(store.create(group('plant', 'Plant room')), (error: unknown) => {
      assert.ok(error instanceof GroupConflictError);
      assert.match(error.message, /"Plant room" \(group:plant, created by alice\) already exists/);
      return true;
    });
    await assert.rejects(store.create(group('other', 'PLANT-room!')), GroupConflictError);
    await store.create(group('boiler', 'Boiler'));
    await assert.rejects(store.update(group('boiler', 'plant room')), GroupConflictError);
    await store.delete('group:plant');
    await store.delete('group:boiler');
  });

  it('loses nothing when many changes run at once', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `c${i}`);
    await Promise.all(ids.map((id) => store.create(group(id, `Concurrent ${id}`))));
    assert.equal((await store.list()).length, ids.length);
    await Promise.all(ids.map((id, i) => (i % 2 === 0 ? store.delete(`group:${id}`) : store.update(group(id, `Changed ${id}`)))));
    const left = await store.list();
    assert.deepEqual(
      left.map((g) => g.name).sort(),
      ids
        .filter((_, i) => i % 2 === 1)
        .map((id) => `Changed ${id}`)
        .sort(),
    );
    await Promise.all(left.map((g) => store.delete(g.id)));
  });
}

describe('groups in a file (no DATABASE_URL)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-group-file-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  contract(async () => new FileGroupStore(path.join(dir, 'nested', 'data')));

  it('replaces the file whole (temporary file, then rename) and leaves no temporary file', async () => {
    const store = new FileGroupStore(dir);
    await store.create(group('x', 'X'));
    const file = path.join(dir, 'groups.json');
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { version: 1, groups: [group('x', 'X')] });
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    );
    assert.deepEqual(await new FileGroupStore(dir).list(), [group('x', 'X')], 'another store on the same folder reads it');
  });

  it('says which file is not a groups file rather than losing it', async () => {
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-group-bad-'));
    fs.writeFileSync(path.join(bad, 'groups.json'), '{"something": "else"}');
    await assert.rejects(new FileGroupStore(bad).list(), /groups\.json is not a groups file/);
    await assert.rejects(new FileGroupStore(bad).create(group('y', 'Y')), /not a groups file/);
    assert.equal(fs.readFileSync(path.join(bad, 'groups.json'), 'utf8'), '{"something": "else"}');
    fs.rmSync(bad, { recursive: true, force: true });
  });
});

describe('groups in PostgreSQL (DATABASE_URL)', { skip: skipWithoutPostgres(__filename) }, () => {
  let postgres: RunningService;
  before(async () => {
    postgres = await startPostgres();
  });
  after(() => postgres?.stop());
  contract(() => openPgGroupStore({ databaseUrl: postgres.url, timeoutMs: 10_000, onError: () => undefined }));

  it('is shared by every instance (a second store sees the first one’s groups)', async () => {
    const first = await openPgGroupStore({ databaseUrl: postgres.url, timeoutMs: 10_000, onError: () => undefined });
    const second = await openPgGroupStore({ databaseUrl: postgres.url, timeoutMs: 10_000, onError: () => undefined });
    try {
      await first.create(group('shared', 'Shared'));
      assert.deepEqual(await second.get('group:shared'), group('shared', 'Shared'));
      await assert.rejects(second.create(group('shared', 'Shared')), GroupConflictError);
    } finally {
      await first.delete('group:shared');
      await first.close();
      await second.close();
    }
  });
});
