// The WAL's sync after commits: one at a time, shared by every commit noted before it began; a commit noted
// while one runs waits for the next.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { syncFileData, walDurability } from './wal-sync.js';

/** A sync that finishes when the test says so. */
function heldSyncs() {
  const started: { finish: () => void; fail: (error: Error) => void }[] = [];
  const sync = () =>
    new Promise<void>((finish, fail) => {
      started.push({ finish, fail });
    });
  return { sync, started };
}

const settledOf = (promise: Promise<void>) => {
  const state = { settled: false, failed: null as Error | null };
  promise.then(
    () => {
      state.settled = true;
    },
    (error: Error) => {
      state.settled = true;
      state.failed = error;
    },
  );
  return state;
};

const turn = () => new Promise((resolve) => setImmediate(resolve));

it('owes nothing before a commit, and one sync covers every commit noted before it began', async () => {
  const { sync, started } = heldSyncs();
  const durability = walDurability(sync);
  expect(durability.behind).toBe(false);
  await durability.synced();
  expect(started).toHaveLength(0);

  durability.committed();
  durability.committed();
  expect(durability.behind).toBe(true);
  const first = settledOf(durability.synced());
  const second = settledOf(durability.synced());
  expect(started).toHaveLength(1);
  await turn();
  expect(first.settled || second.settled).toBe(false);
  started[0]!.finish();
  await turn();
  expect([first.settled, second.settled]).toEqual([true, true]);
  expect(durability.behind).toBe(false);
});

it('makes a commit noted during a sync wait for the next one, which all such commits share', async () => {
  const { sync, started } = heldSyncs();
  const durability = walDurability(sync);
  durability.committed();
  const early = settledOf(durability.synced());
  durability.committed();
  const late = settledOf(durability.synced());
  durability.committed();
  const later = settledOf(durability.synced());
  expect(started).toHaveLength(1);
  started[0]!.finish();
  await turn();
  expect(early.settled).toBe(true);
  expect([late.settled, later.settled]).toEqual([false, false]);
  expect(started).toHaveLength(2);
  expect(durability.behind).toBe(true);
  started[1]!.finish();
  await turn();
  expect([late.settled, later.settled]).toEqual([true, true]);
  expect(durability.behind).toBe(false);
});

it('fails those who waited for a sync that failed, and tries a fresh one for the next', async () => {
  const { sync, started } = heldSyncs();
  const durability = walDurability(sync);
  durability.committed();
  const waiting = settledOf(durability.synced());
  started[0]!.fail(new Error('EIO'));
  await turn();
  expect(waiting.failed?.message).toBe('EIO');
  expect(durability.behind).toBe(true);
  const again = settledOf(durability.synced());
  expect(started).toHaveLength(2);
  started[1]!.finish();
  await turn();
  expect(again).toEqual({ settled: true, failed: null });
  expect(durability.behind).toBe(false);
});

it('syncs a file that exists and passes over one that is gone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'convoy-walsync-'));
  try {
    writeFileSync(join(dir, 'x-wal'), 'frames');
    await expect(syncFileData(join(dir, 'x-wal'))).resolves.toBeUndefined();
    await expect(syncFileData(join(dir, 'gone-wal'))).resolves.toBeUndefined();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
