import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { openDatabase } from './db/database.js';
import { verifyPassword } from './core/passwords.js';

const run = promisify(execFile);

// The first administrator of a production install comes from the command line, not from demo data.
it('creates a system administrator from the command line, once', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'convoy-cli-'));
  const env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'convoy.db')}` };
  const args = ['--import', 'tsx', 'server/cli.ts', 'create-admin', '--username', 'root', '--display-name', '运维', '--password', 'a-long-admin-password'];
  const { stdout } = await run(process.execPath, args, { env });
  expect(stdout).toContain('Created system administrator "root"');
  const again = await run(process.execPath, args, { env }).catch((error: { code: number; stderr: string }) => error);
  expect(again).toMatchObject({ code: 1 });
  expect((again as { stderr: string }).stderr).toContain('already exists');
  const tooShort = await run(process.execPath, [...args.slice(0, 5), 'other', '--password', 'short'], { env }).catch((error: { code: number }) => error);
  expect(tooShort).toMatchObject({ code: 1 });
  const handle = openDatabase(env.DATABASE_URL);
  try {
    const user = await handle.db.selectFrom('users').innerJoin('roleGrants', 'roleGrants.userId', 'users.id').select(['users.passwordHash', 'roleGrants.role', 'roleGrants.unitId']).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ role: 'system_admin', unitId: null });
    expect(await verifyPassword('a-long-admin-password', user.passwordHash)).toBe(true);
  } finally {
    await handle.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
