// Keeps server/security/authorization-matrix.md complete: lists the routes the app registers, runs the
// probes of every route that has no row yet on a throwaway SQLite world, and (with --write) appends
// what it saw as UNREVIEWED rows for a person to check. Reviewed rows are never changed; --verify
// prints where today's answers differ from them, and rows of routes that are gone are reported.
//
//   npx tsx scripts/authz-matrix.ts [--write] [--verify] [--only TEXT] [--verbose]
// --only limits the run to routes whose "METHOD /path" contains TEXT; --verbose prints each answer.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { fixedClock } from '../server/core/clock.js';
import type { AppDeps } from '../server/core/deps.js';
import { openDatabase } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { createUser } from '../server/modules/auth/auth.queries.js';
import { allProbes, checkerFor } from '../server/security/authz-check.js';
import { type Cell, MATRIX_FILE, type MatrixRow, outcomeOf, parseMatrix, UNREVIEWED, withRows } from '../server/security/authz-matrix-file.js';
import { buildAuthzWorld, type MatrixRole, matrixRoles } from '../server/security/authz-world.js';
import { registeredRoutes, routeKey } from '../server/security/route-inventory.js';
import type { TestContext } from '../server/test/harness.js';

const write = process.argv.includes('--write');
const verify = process.argv.includes('--verify');
const verbose = process.argv.includes('--verbose');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt > 0 ? process.argv[onlyAt + 1] : undefined;

// The instant the API suites start at (server/test/harness.ts TEST_NOW).
const clock = fixedClock('2026-11-25T02:00:00.000Z');
const dir = mkdtempSync(join(tmpdir(), 'convoy-authz-'));
const url = `sqlite:${join(dir, 'convoy.db')}`;
const handle = openDatabase(url);
try {
  await migrateToLatest(handle.db);
  const config = loadConfig({ CONVOY_SECRET: 'x'.repeat(40), DATABASE_URL: url, LOG_LEVEL: 'silent' });
  const deps: AppDeps = { db: handle.db, engine: handle.engine, config, clock };
  const app = await buildApp(deps, { logger: false, webRoot: '/nonexistent' });
  await app.ready();
  const ctx: TestContext = {
    app,
    db: handle.db,
    engine: 'sqlite',
    clock,
    url,
    login: () => Promise.reject(new Error('not in the matrix script')),
    bearer: () => Promise.reject(new Error('not in the matrix script')),
    createUser: (input, now = clock.now()) => createUser(handle.db, input, now),
  };
  const world = await buildAuthzWorld(ctx);
  const check = checkerFor(world);
  const routes = await registeredRoutes(deps);
  const markdown = readFileSync(MATRIX_FILE, 'utf8');
  const rows = parseMatrix(markdown);
  const known = new Map(rows.map((r) => [routeKey(r), r]));

  const observe = async (route: { method: string; path: string }, scoped: boolean): Promise<Record<MatrixRole, Cell>> => {
    const cells = {} as Record<MatrixRole, Cell>;
    const status = async (role: MatrixRole, side: 'own' | 'other') => {
      const seen = await check(route, role, side);
      if (verbose) console.log(`  ${role} ${side}: ${seen.status} ${seen.body.slice(0, 300)}`);
      return outcomeOf(seen.status);
    };
    for (const role of matrixRoles) {
      const own = await status(role, 'own');
      const other = scoped && role !== 'anonymous' ? await status(role, 'other') : '—';
      cells[role] = { own, other };
    }
    return cells;
  };

  const added: MatrixRow[] = [];
  for (const route of routes) {
    const key = routeKey(route);
    if (only !== undefined && !key.includes(only)) continue;
    const existing = known.get(key);
    const probe = allProbes[key];
    if (existing) {
      if (!verify || !probe) continue;
      const seen = await observe(route, existing.scoped);
      for (const role of matrixRoles) {
        const want = existing.cells[role];
        const got = seen[role];
        if (want.own !== got.own || want.other !== got.other) console.log(`differs: ${key} ${role}: table ${want.own}/${want.other}, now ${got.own}/${got.other}`);
      }
      continue;
    }
    if (!probe) {
      console.log(`no probe for ${key}: add one to server/security/authz-probes.*.ts, then run again`);
      continue;
    }
    let cells: Record<MatrixRole, Cell>;
    try {
      cells = await observe(route, probe.scoped);
    } catch (error) {
      console.log(`probe failed for ${key}: ${(error as Error).message}`);
      continue;
    }
    const row: MatrixRow = { ...route, scoped: probe.scoped, cells, note: UNREVIEWED };
    added.push(row);
    console.log(`new row: ${key}`);
  }
  const registered = new Set(routes.map(routeKey));
  for (const row of rows) if (!registered.has(routeKey(row))) console.log(`stale row (route is gone; remove it by hand): ${routeKey(row)}`);

  if (write && added.length > 0) {
    writeFileSync(MATRIX_FILE, withRows(markdown, [...rows, ...added]));
    console.log(`${added.length} rows added to ${MATRIX_FILE} as ${UNREVIEWED}: review each, then remove the mark.`);
  } else if (added.length > 0) {
    console.log(`${added.length} rows missing; run with --write to add them.`);
  } else {
    console.log('Every registered route has a row.');
  }
  await app.close();
} finally {
  await handle.destroy();
  rmSync(dir, { recursive: true, force: true });
}
