// Every server the API and browser suites start writes its whole log (level trace: nothing hidden by
// level) to a file under CONVOY_LOG_DIR, and records the phone and ID numbers its database ended up
// holding; after the suites, `scripts/scan-logs.ts` searches the logs for those numbers (log-scan.ts).
// `npm test` names the folder; a bare `npx vitest run` gets a temporary one from the global setups.
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { SensitiveCodec } from '../core/sensitive.js';
import { encryptedColumns } from '../db/rotate-key.js';
import type { Database } from '../db/tables.js';

export const LOG_DIR_ENV = 'CONVOY_LOG_DIR';
/** Where each kind of log goes under the run folder, and where the recorded numbers go. */
export const logKinds = ['api', 'e2e', 'process'] as const;
export type LogKind = (typeof logKinds)[number];
export const VALUES_FOLDER = 'values';

export const testLogDir = (): string | null => process.env[LOG_DIR_ENV] || null;

/** For a global setup: makes sure the suites have a log folder; one made here is removed afterwards. */
export function ensureTestLogDir(): () => void {
  if (testLogDir()) return () => undefined;
  const dir = mkdtempSync(join(tmpdir(), 'convoy-logs-'));
  process.env[LOG_DIR_ENV] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}

let serial = 0;
/** A file name nobody else in this run uses: several workers write at once. */
export function uniqueLogName(label: string): string {
  serial += 1;
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'server';
  return `${slug}-${process.pid}-${serial}`;
}

export type LogFile = { path: string; write: (line: string) => void; close: () => void };

/**
 * A file a log goes to, opened on the first line (so every file that exists has something in it), written
 * synchronously (a test that ends, or a server killed with SIGKILL, loses nothing already written).
 */
export function openLogFile(kind: LogKind, label: string): LogFile | null {
  const dir = testLogDir();
  if (!dir) return null;
  const folder = join(dir, kind);
  const path = join(folder, `${uniqueLogName(label)}.log`);
  let fd: number | null = null;
  return {
    path,
    write(line) {
      if (fd === null) {
        mkdirSync(folder, { recursive: true });
        fd = openSync(path, 'a');
      }
      writeSync(fd, line);
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

// Only what could be a phone or ID number is kept: the encrypted membership details are free text.
const NUMBER_LIKE = /^[\d +-]{8,}[\dXx]$/;

/**
 * Writes every phone and ID number a test database holds (decrypted) to the run's values folder, one
 * "table.column<TAB>value" a line. Values under a key this codec does not have (a test of its own secret)
 * are skipped: those tests' numbers are in the test sources, which the scan reads too.
 */
export async function recordPersonalValues(db: Kysely<Database>, codec: SensitiveCodec, label: string): Promise<number> {
  const dir = testLogDir();
  if (!dir) return 0;
  const lines: string[] = [];
  for (const { table, column } of encryptedColumns) {
    // A suite may leave its database at an older migration (an upgrade test): what is not there holds nothing.
    const rows = await sql<{ value: string | null }>`select ${sql.ref(column)} as value from ${sql.table(table)} where ${sql.ref(column)} is not null`
      .execute(db)
      .then((result) => result.rows)
      .catch(() => []);
    for (const row of rows) {
      try {
        const plain = codec.decrypt(row.value!);
        if (NUMBER_LIKE.test(plain)) lines.push(`${table}.${column}\t${plain}`);
      } catch {
        // another secret's value; see above
      }
    }
  }
  if (lines.length === 0) return 0;
  mkdirSync(join(dir, VALUES_FOLDER), { recursive: true });
  writeFileSync(join(dir, VALUES_FOLDER, `${uniqueLogName(label)}.txt`), `${lines.join('\n')}\n`);
  return lines.length;
}

/**
 * How a test's own app logs: with a run's log folder, everything at trace level into a file there (so the
 * scan after the run reads it too); without one, nothing. Close it when the app is closed.
 */
export function appLogging(label: string): { level: 'trace' | 'silent'; options: { logStream: LogFile } | { logger: false }; close: () => void } {
  const log = openLogFile('api', label);
  return log ? { level: 'trace', options: { logStream: log }, close: () => log.close() } : { level: 'silent', options: { logger: false }, close: () => undefined };
}
