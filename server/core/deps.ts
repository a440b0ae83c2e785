import type { Config } from '../config.js';
import type { ConvoyDb, Engine } from '../db/database.js';
import type { Clock } from './clock.js';

/** What every module's routes receive: the database, the configuration and the clock. */
export type AppDeps = {
  db: ConvoyDb;
  engine: Engine;
  config: Config;
  clock: Clock;
  /** SQLite: statements someone waits for, waiting for the write connection now (DatabaseHandle.writersWaiting); long jobs yield to them. */
  writersWaiting?: () => number;
  /**
   * SQLite files (main.ts): imports run on a thread of their own, which reads this count of the server's
   * waiting writers (DatabaseHandle.waitingWriters) to give way to them. Absent: imports run in this thread.
   */
  importThread?: { waitingWriters: SharedArrayBuffer; walLimitBytes?: number };
};
