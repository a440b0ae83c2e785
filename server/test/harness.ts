// The API test harness: every module's HTTP tests run once per engine, each on a fresh, migrated database
// of its own, through the real app (app.inject, no network). Tests build their rows with factories.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { fixedClock } from '../core/clock.js';
import type { AppDeps } from '../core/deps.js';
import { type ConvoyDb, type DatabaseHandle, type Engine, openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { createUser } from '../modules/auth/auth.queries.js';
import { fieldCodec } from '../core/sensitive.js';
import { type LogFile, openLogFile, recordPersonalValues } from './test-logs.js';

export const engines = ['sqlite', 'postgres'] as const satisfies readonly Engine[];

/** The instant every suite starts at; advance `ctx.clock` to move it. */
export const TEST_NOW = '2026-11-25T02:00:00.000Z';

export type TestClock = ReturnType<typeof fixedClock>;

export type Session = {
  cookie: string;
  csrfToken: string;
  /** Cookie plus X-CSRF-Token, ready for `app.inject({ headers })` on reads and writes alike. */
  headers: Record<string, string>;
};

export type TestContext = {
  readonly app: FastifyInstance;
  readonly db: ConvoyDb;
  readonly engine: Engine;
  readonly clock: TestClock;
  /** The database URL, for tests that open a second connection. */
  readonly url: string;
  login: (username: string, password: string) => Promise<Session>;
  bearer: (username: string, password: string) => Promise<{ authorization: string }>;
  createUser: (input: Parameters<typeof createUser>[1], now?: Date) => Promise<number>;
};

export type Fresh = { url: string; drop: () => Promise<void> };

async function freshSqlite(): Promise<Fresh> {
  const dir = mkdtempSync(join(tmpdir(), 'convoy-test-'));
  return { url: `sqlite:${join(dir, 'convoy.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

async function adminQuery(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function freshPostgres(): Promise<Fresh> {
  const adminUrl = inject('pgAdminUrl');
  if (!adminUrl) throw new Error('No PostgreSQL test cluster: run through vitest.config.ts, whose api project starts one (server/test/global-setup.ts).');
  const name = `convoy_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // FORCE ends connections a failed test may have left open, so the drop never waits.
  return { url: url.toString(), drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** An empty database of an engine (no migrations), for tests that need a second one, such as a restore target. */
export function freshDatabase(engine: Engine): Promise<Fresh> {
  return engine === 'sqlite' ? freshSqlite() : freshPostgres();
}

function cookieHeaderOf(cookies: { name: string; value: string }[]): string {
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

// Login is rate-limited per client address; each harness login comes from its own loopback address so
// a file that logs in many times never trips the limit. Tests of the limit itself inject directly.
let loginCount = 0;
function nextLoopbackAddress(): string {
  loginCount += 1;
  return `127.0.${Math.floor(loginCount / 250) % 250}.${(loginCount % 250) + 1}`;
}

/**
 * Runs `body` once per engine inside `describe(name)`, with a fresh migrated database and app per engine.
 * Read `ctx.app` and friends inside tests and hooks only: they exist once `beforeAll` has run.
 */
export function describeEachEngine(name: string, body: (ctx: TestContext) => void): void {
  describe.each(engines)(`${name} [%s]`, (engine) => {
    let state: { app: FastifyInstance; handle: DatabaseHandle; fresh: Fresh; codec: ReturnType<typeof fieldCodec>; log: LogFile | null } | undefined;
    const clock = fixedClock(TEST_NOW);

    const need = () => {
      if (!state) throw new Error('The test database is not ready: use ctx inside tests or hooks, not at collection time.');
      return state;
    };

    beforeAll(async () => {
      clock.set(TEST_NOW);
      const fresh = engine === 'sqlite' ? await freshSqlite() : await freshPostgres();
      let handle: DatabaseHandle | undefined;
      try {
        handle = openDatabase(fresh.url);
        await migrateToLatest(handle.db);
        // With a run's log folder (always under Vitest, see test-logs.ts) the app logs everything to a file there.
        const log = openLogFile('api', `${name}-${engine}`);
        const config = loadConfig({ CONVOY_SECRET: 'x'.repeat(40), DATABASE_URL: fresh.url, LOG_LEVEL: log ? 'trace' : 'silent' });
        const deps: AppDeps = { db: handle.db, engine: handle.engine, config, clock, writersWaiting: handle.writersWaiting };
        const app = await buildApp(deps, log ? { logStream: log, webRoot: '/nonexistent' } : { logger: false, webRoot: '/nonexistent' });
        await app.ready();
        state = { app, handle, fresh, codec: fieldCodec(config), log };
      } catch (error) {
        await handle?.destroy().catch(() => undefined);
        await fresh.drop().catch(() => undefined);
        throw error;
      }
    });

    afterAll(async () => {
      if (!state) return;
      const { app, handle, fresh, codec, log } = state;
      state = undefined;
      try {
        await app.close();
        // The numbers this suite stored are what the log scan after the run looks for.
        await recordPersonalValues(handle.db, codec, `${name}-${engine}`);
      } finally {
        log?.close();
        await handle.destroy();
        await fresh.drop();
      }
    });

    const login = async (username: string, password: string): Promise<Session> => {
      const response = await need().app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password },
        remoteAddress: nextLoopbackAddress(),
      });
      if (response.statusCode !== 200) throw new Error(`login as ${username} failed: ${response.statusCode} ${response.body}`);
      const csrfToken = response.json<{ csrfToken: string }>().csrfToken;
      const cookie = cookieHeaderOf(response.cookies);
      return { cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } };
    };

    const ctx: TestContext = {
      get app() {
        return need().app;
      },
      get db() {
        return need().handle.db;
      },
      get url() {
        return need().fresh.url;
      },
      engine,
      clock,
      login,
      bearer: async (username, password) => {
        const session = await login(username, password);
        const response = await need().app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: session.headers, payload: { name: 'test' } });
        if (response.statusCode !== 201) throw new Error(`token for ${username} failed: ${response.statusCode} ${response.body}`);
        return { authorization: `Bearer ${response.json<{ token: string }>().token}` };
      },
      createUser: (input, now = clock.now()) => createUser(need().handle.db, input, now),
    };

    body(ctx);
  });
}
