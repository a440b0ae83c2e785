// Fuzzed input (issue 7): every registered route, with requests derived from its OpenAPI schema and
// mixed with hostile values (long, empty, mixed-script and control-character strings, NUL, numbers at
// and past their limits, wrong types, deep nesting, duplicated keys, SQL and HTML, bad cursors, dates
// and time zones), as a system administrator, a worker and anonymously. Every answer is a 4xx
// problem+json or a 2xx matching its declared schema, never a 5xx; a rejected request changes no
// table; the server still answers afterwards.
//
// FUZZ_RUNS=<n> sets the requests per route (default 10, about 1,700 per engine). `npm test` uses a
// fixed seed, so a red CI run means a change broke something, not that the dice found an old bug;
// FUZZ_SEED=random explores (the long runs), FUZZ_SEED=<n> replays a failure, whose seed and path it prints.
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../test/harness.js';
import { type Answer, answerFailure, changedTables, describeRequest, type Fingerprint, fingerprint } from './fuzz.checks.js';
import { type FuzzRequest, type FuzzRoute, fuzzRoutes, type OpenApiDocument, requestFor } from './fuzz.requests.js';
import type { ValueContext } from './fuzz.values.js';
import { buildFuzzWorld, type FuzzWorld } from './fuzz.world.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10);
const DEFAULT_SEED = 20261205;
const SEED = process.env.FUZZ_SEED === 'random' ? undefined : Number(process.env.FUZZ_SEED ?? DEFAULT_SEED);
// Row counts are compared around every rejected write; whole-table checksums around every DEEP_EVERY-th.
const DEEP_EVERY = Number(process.env.FUZZ_DEEP_EVERY ?? 4);
const isDeep = (print: Fingerprint) => Object.values(print).some((table) => table.sha256 !== undefined);

// Failed logins are recorded on purpose (the audit log and the lockout counter): a rejected login is
// the one rejection that writes.
const recordsRejections = (route: FuzzRoute) => route.path === '/api/v1/auth/login';

describeEachEngine('fuzzed input', (ctx) => {
  let world: FuzzWorld;
  let document: OpenApiDocument;
  let routes: FuzzRoute[];
  let sent = 0;

  beforeAll(async () => {
    world = await buildFuzzWorld(ctx);
    document = (await ctx.app.inject({ method: 'GET', url: '/docs/json' })).json<OpenApiDocument>();
    routes = fuzzRoutes(ctx.app.printRoutes({ commonPrefix: false }), document);
  });

  it('fuzzes every documented route, and the hidden ones beside them', () => {
    const fuzzed = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect(documented.length).toBeGreaterThan(100);
    expect(documented.filter((route) => !fuzzed.has(route))).toEqual([]);
    expect([...fuzzed]).toEqual(expect.arrayContaining(['POST /open311/v2/requests.{format}', 'GET /healthz']));
  });

  const send = (route: FuzzRoute, request: FuzzRequest): Promise<Answer> => {
    sent += 1;
    // Logging out ends the session it is sent with: that one is a disposable session, not the fuzzers'.
    const callerHeaders = route.path === '/api/v1/auth/logout' && request.caller !== 'anonymous' ? world.disposableHeaders : world.headersOf[request.caller];
    return ctx.app.inject({
      method: request.method as 'GET',
      url: request.url,
      headers: { ...callerHeaders, ...request.headers },
      ...(request.payload !== undefined ? { payload: request.payload } : {}),
      // Each request from its own address: per-address rate limits answer 429 correctly, but would
      // otherwise turn most of the fuzzing into 429s.
      remoteAddress: `10.${(sent >> 16) & 255}.${(sent >> 8) & 255}.${sent & 255}`,
    });
  };

  it('answers every fuzzed request with a 4xx problem or a valid 2xx, and a rejected request changes nothing', { timeout: 30 * 60_000 }, async () => {
    const context: ValueContext = { now: ctx.clock.now().getTime(), hints: world.hints };
    const failures: string[] = [];
    // The state as last seen; unknown after an answer that may have written (any 2xx: reads are audited).
    let known: Fingerprint | undefined;
    let checks = 0;
    for (const route of routes) {
      await world.reviveCallers();
      // A revived caller is new rows: compare what the next rejection leaves against the state from here on.
      known = undefined;
      const property = fc.asyncProperty(requestFor(route, context), async (request) => {
        const checked = request.method !== 'GET' && !recordsRejections(route);
        // Row counts before every write; the content of every table before one in DEEP_EVERY.
        const deep = checked && checks++ % DEEP_EVERY === 0;
        if (checked && (!known || (deep && !isDeep(known)))) known = await fingerprint(ctx.db, deep);
        const answer = await send(route, request);
        const failure = answerFailure(route, request, answer);
        if (failure) throw new Error(`${failure}\n  request: ${describeRequest(request)}`);
        if (answer.statusCode < 300 || recordsRejections(route)) {
          known = undefined;
          // An accepted import writes in the background: let it finish before the next comparison.
          await ctx.app.importJobs.drain();
          return;
        }
        if (!checked || !known) return;
        const after = await fingerprint(ctx.db, isDeep(known));
        const changed = changedTables(known, after);
        known = after;
        if (changed.length > 0) throw new Error(`rejected with ${answer.statusCode} but changed ${changed.join(', ')}\n  request: ${describeRequest(request)}\n  answer: ${answer.body.slice(0, 300)}`);
      });
      const details = await fc.check(property, { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) });
      if (details.failed) {
        known = undefined;
        const reason = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
        failures.push(`${route.method} ${route.path} (FUZZ_SEED=${details.seed}, path ${details.counterexamplePath}): ${reason}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('still answers health checks and ordinary reads after the fuzzing', async () => {
    expect(sent).toBeGreaterThan(routes.length);
    expect((await ctx.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    // A caller the fuzzing lawfully ended (a deletion request carried out) is replaced: the server is what is checked.
    await world.reviveCallers();
    expect((await ctx.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const units = await ctx.app.inject({ method: 'GET', url: '/api/v1/org-units?rootsOnly=true', headers: world.headersOf.admin });
    expect(units.statusCode, units.body).toBe(200);
    expect(units.json<{ items: unknown[] }>().items.length).toBeGreaterThan(0);
    const mine = await ctx.app.inject({ method: 'GET', url: '/api/v1/me/appeals', headers: world.headersOf.worker });
    expect(mine.statusCode, mine.body).toBe(200);
  });
});
