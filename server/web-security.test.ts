// Web-security promises not held by another suite: imports are rate-limited; downloads cannot be led
// out of their folder by ../ in any encoding; text people write (HTML included) always comes back as
// inert data, and the web app never renders a string as HTML.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { type AppealWorld, buildAppealWorld } from './modules/appeals/appeals.factory.js';
import { IMPORTS_PER_WINDOW } from './modules/imports/imports.rules.js';
import { insertStationRow } from './modules/stations/stations.factory.js';
import { describeEachEngine, type Session } from './test/harness.js';
import { appLogging } from './test/test-logs.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
const SECRET_TEXT = 'TOP-SECRET-OUTSIDE-THE-WEB-ROOT';
const HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> 平台抽成 & "quotes"';

// ../ written every way a path can carry it: plain, percent-encoded, double-encoded, backslashes, NUL.
const traversals = ['..%2F..%2F..%2Fconvoy.db', '%2e%2e%2f%2e%2e%2fconvoy.db', '%252e%252e%252fconvoy.db', '..%5C..%5Cconvoy.db', '....%2F%2Fconvoy.db', '1%2F..%2F..%2Fconvoy.db', '1%00.png', '-1', '1e3', '0x10'];

describeEachEngine('web security: import limits, downloads, inert text', (ctx) => {
  let w: AppealWorld;
  let admin: Session;
  let root = '';

  beforeAll(async () => {
    w = await buildAppealWorld(ctx);
    await ctx.createUser({ username: 'sysadmin', password: 'correct-horse-battery', displayName: '管理员', grants: [{ role: 'system_admin', unitId: null }] });
    admin = await ctx.login('sysadmin', 'correct-horse-battery');
    root = mkdtempSync(join(tmpdir(), 'convoy-websec-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it(`answers uploads past ${IMPORTS_PER_WINDOW} in ten minutes with 429 and Retry-After, and stores nothing for them`, async () => {
    const upload = (body: string) => ctx.app.inject({ method: 'POST', url: '/api/v1/imports/workers?fileName=w.csv&dryRun=true', headers: { ...w.sessions.secretaryA.headers, 'content-type': 'text/csv' }, payload: body });
    // Files without the needed columns are refused at once, and still count: the limit is on uploads.
    for (let i = 0; i < IMPORTS_PER_WINDOW; i++) expect((await upload('列1,列2\n1,2\n')).statusCode).toBe(400);
    const jobsBefore = await ctx.db.selectFrom('importJobs').select('id').execute();
    const limited = await upload('姓名,手机号,平台,平台工号,工作类型,车辆,城市\n张三,13800138000,SPEED,X1,网约车,汽车,510100\n');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(await ctx.db.selectFrom('importJobs').select('id').execute()).toEqual(jobsBefore);
    // The limit is per person: someone else may still upload.
    const other = await ctx.app.inject({ method: 'POST', url: '/api/v1/imports/workers?fileName=w.csv&dryRun=true', headers: { ...admin.headers, 'content-type': 'text/csv' }, payload: '列1\n1\n' });
    expect(other.statusCode).toBe(400);
  });

  it('serves photos by id only: ../ in any encoding is a 4xx problem, never a file', async () => {
    const filed = await ctx.app.inject({ method: 'POST', url: '/api/v1/appeals', headers: w.sessions.driver.headers, payload: { category: 'safety', description: '夜间停车场没有照明，很不安全', anonymous: false } });
    const appealId = filed.json<{ id: number }>().id;
    const photo = await ctx.app.inject({ method: 'POST', url: `/api/v1/appeals/${appealId}/photos`, headers: { ...w.sessions.driver.headers, 'content-type': 'image/png' }, payload: PNG });
    expect(photo.statusCode, photo.body).toBe(201);
    const ok = await ctx.app.inject({ method: 'GET', url: `/api/v1/appeals/${appealId}/photos/${photo.json<{ id: number }>().id}`, headers: w.sessions.driver.headers });
    expect(ok.statusCode).toBe(200);
    expect(ok.rawPayload.equals(PNG)).toBe(true);

    const stationId = await insertStationRow(ctx.db, { unitId: w.branchA.id });
    for (const bad of traversals) {
      for (const url of [`/api/v1/appeals/${appealId}/photos/${bad}`, `/api/v1/appeals/${bad}/photos/1`, `/api/v1/stations/${stationId}/photos/${bad}`, `/api/v1/imports/${bad}/errors.csv`]) {
        const response = await ctx.app.inject({ method: 'GET', url, headers: w.sessions.driver.headers });
        expect(response.statusCode, `${url} → ${response.statusCode}`).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, url).toBeLessThan(500);
        expect(response.headers['content-type'], url).toContain('application/problem+json');
        expect(response.rawPayload.includes(Buffer.from('SQLite format')), url).toBe(false);
      }
    }
  });

  it('keeps the web app’s file server inside its folder', async () => {
    const webRoot = join(root, 'web');
    mkdirSync(webRoot);
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Convoy</title>');
    writeFileSync(join(root, 'secret.txt'), SECRET_TEXT);
    const logging = appLogging(`web-security-files-${ctx.engine}`);
    const config = loadConfig({ CONVOY_SECRET: 'x'.repeat(40), DATABASE_URL: ctx.url, LOG_LEVEL: logging.level });
    const app = await buildApp({ db: ctx.db, engine: ctx.engine, config, clock: ctx.clock }, { ...logging.options, webRoot });
    try {
      for (const path of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/%2e%2e%2fsecret.txt', '/..%5csecret.txt', '/%252e%252e%252fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/.%2e/secret.txt', '/secret.txt%00.html']) {
        for (const accept of ['text/html', '*/*']) {
          const response = await app.inject({ method: 'GET', url: path, headers: { accept } });
          expect(response.statusCode, path).toBeLessThan(500);
          expect(response.body, path).not.toContain(SECRET_TEXT);
        }
      }
      expect((await app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } })).body).toContain('<title>Convoy</title>');
    } finally {
      await app.close();
      logging.close();
    }
  });

  it('returns HTML someone wrote as the same inert string, in JSON that browsers will not sniff as a page', async () => {
    const filed = await ctx.app.inject({ method: 'POST', url: '/api/v1/appeals', headers: w.sessions.driver.headers, payload: { category: 'other', description: HOSTILE, anonymous: false } });
    expect(filed.statusCode, filed.body).toBe(201);
    const id = filed.json<{ id: number }>().id;
    await ctx.app.inject({ method: 'POST', url: `/api/v1/appeals/${id}/replies`, headers: w.sessions.secretaryA.headers, payload: { body: HOSTILE, visibility: 'public' } });
    for (const [session, url] of [[w.sessions.secretaryA, `/api/v1/appeals/${id}`], [w.sessions.driver, `/api/v1/me/appeals/${id}`]] as const) {
      const response = await ctx.app.inject({ method: 'GET', url, headers: session.headers });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      const detail = response.json<{ description: string; timeline: { body: string | null }[] }>();
      // Stored and returned exactly as written: escaping is the renderer's job, and React's text nodes do it.
      expect(detail.description).toBe(HOSTILE);
      expect(detail.timeline.map((e) => e.body)).toContain(HOSTILE);
    }
  });

  it('finds no place in the web app that renders a string as HTML', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
          if (name !== 'node_modules' && name !== 'dist') walk(path);
        } else if (/\.(tsx?|html)$/.test(name) && /dangerouslySetInnerHTML|\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write\(/.test(readFileSync(path, 'utf8'))) {
          offenders.push(path);
        }
      }
    };
    walk('web');
    expect(offenders).toEqual([]);
  });
});
