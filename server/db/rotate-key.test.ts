import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { fixedClock } from '../core/clock.js';
import { sensitiveCodec } from '../core/sensitive.js';
import { type AppealWorld, buildAppealWorld } from '../modules/appeals/appeals.factory.js';
import { describeEachEngine } from '../test/harness.js';

const run = promisify(execFile);
const SECRET = 'x'.repeat(40);

describeEachEngine('rotating the field-encryption key', (ctx) => {
  let w: AppealWorld;
  const keyFile = join(mkdtempSync(join(tmpdir(), 'convoy-keys-')), 'field-keys.json');
  beforeAll(async () => {
    w = await buildAppealWorld(ctx);
  });

  it('re-encrypts every phone and ID number under a new key while a running server keeps reading them', { timeout: 180_000 }, async () => {
    const config = loadConfig({ CONVOY_SECRET: SECRET, DATABASE_URL: ctx.url, LOG_LEVEL: 'silent', CONVOY_KEY_FILE: keyFile });
    // A server that was running before the rotation, with the same key file.
    const serving = await buildApp({ db: ctx.db, engine: ctx.engine, config, clock: fixedClock(ctx.clock.now()) }, { logger: false, webRoot: '/nonexistent' });
    try {
      const before = await ctx.db.selectFrom('workers').select(['id', 'phoneEnc', 'phoneHash']).orderBy('id').execute();
      const members = await ctx.db.selectFrom('members').select(['id', 'idCardEnc']).orderBy('id').execute();
      const oldCodec = sensitiveCodec(SECRET);
      expect(before.every((r) => oldCodec.keyIdOf(r.phoneEnc) === 'k1')).toBe(true);

      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'rotate-key'], { env: { ...process.env, DATABASE_URL: ctx.url, CONVOY_SECRET: SECRET, CONVOY_KEY_FILE: keyFile } });
      expect(stdout).toContain('New key k2 is current');
      expect(stdout).toContain(`workers.phone_enc: ${before.length} re-encrypted`);

      const after = await ctx.db.selectFrom('workers').select(['id', 'phoneEnc', 'phoneHash']).orderBy('id').execute();
      const rotated = sensitiveCodec(SECRET, keyFile);
      expect(after.every((r) => rotated.keyIdOf(r.phoneEnc) === 'k2')).toBe(true);
      expect(after.map((r) => rotated.decrypt(r.phoneEnc))).toEqual(before.map((r) => oldCodec.decrypt(r.phoneEnc)));
      // Look-ups by hash keep working: the hash key is not rotated.
      expect(after.map((r) => r.phoneHash)).toEqual(before.map((r) => r.phoneHash));
      const idCards = await ctx.db.selectFrom('members').select(['idCardEnc']).orderBy('id').execute();
      expect(idCards.map((r) => rotated.decrypt(r.idCardEnc))).toEqual(members.map((r) => oldCodec.decrypt(r.idCardEnc)));
      // The old key alone can no longer read them.
      expect(() => oldCodec.decrypt(after[0]!.phoneEnc)).toThrow();

      const login = await serving.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'secB', password: 'correct-horse-battery' } });
      const headers = { cookie: login.cookies.map((c) => `${c.name}=${c.value}`).join('; ') };
      const detail = await serving.inject({ method: 'GET', url: `/api/v1/workers/${w.driverId}`, headers });
      expect(detail.statusCode, detail.body).toBe(200);
      expect(detail.json().phone).toMatch(/^137\*{4}\d{4}$/);
      // Running it again finds nothing left under an old key after the new one.
      const again = await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'rotate-key'], { env: { ...process.env, DATABASE_URL: ctx.url, CONVOY_SECRET: SECRET, CONVOY_KEY_FILE: keyFile } });
      expect(again.stdout).toContain('New key k3 is current');
    } finally {
      await serving.close();
    }
  });
});
