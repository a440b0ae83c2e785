// Work no one waits for as it runs: the periodic schedulers and the outbox's delivery run inside
// `inBackground`. A SQLite writer that waits for the write lock there is counted as patient: a long import
// does not roll its transaction back for it, as it does for a request's writer (modules/imports/imports.batches.ts),
// and lets it in at its next commit instead.
import { AsyncLocalStorage } from 'node:async_hooks';

const background = new AsyncLocalStorage<true>();

export function inBackground<T>(work: () => Promise<T>): Promise<T> {
  return background.run(true, work);
}

export function isBackground(): boolean {
  return background.getStore() === true;
}
