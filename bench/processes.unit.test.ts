import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cpuSeconds, freePort, quietProcess, ROOT, runNodeScript, serverNodeFlags, startNodeProcess } from './processes.js';

describe('the server as shipped and as benched', () => {
  it('bounds the heap, and npm start / npm run serve pass the same flags the bench reads', () => {
    expect(serverNodeFlags()).toContainEqual(expect.stringMatching(/^--max-old-space-size=\d+$/));
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const name of ['start', 'serve']) expect(scripts[name]).toMatch(/^node \$npm_package_config_serverNodeFlags --import tsx server\/main\.ts\b/);
  });

  it('starts a process with the node flags given', async () => {
    const running = await startNodeProcess(join(ROOT, 'bench/ceiling-server.ts'), { args: ['hello'], env: {}, nodeArgs: serverNodeFlags(), port: await freePort(), readyPath: '/' });
    try {
      const argv = readFileSync(`/proc/${running.pid}/cmdline`, 'utf8').split('\0');
      expect(argv.slice(1, 1 + serverNodeFlags().length)).toEqual(serverNodeFlags());
    } finally {
      await running.stop();
    }
  });

  it('runs a script on its input to completion, at the lowest CPU priority when asked (a world generated beside another)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'convoy-run-script-'));
    try {
      const script = join(folder, 'echo.mjs');
      writeFileSync(script, "import { getPriority } from 'node:os';\nlet input = '';\nfor await (const chunk of process.stdin) input += chunk;\nprocess.stdout.write(JSON.stringify({ input, priority: getPriority() }));\n");
      expect(JSON.parse(await runNodeScript(script, 'hello'))).toEqual({ input: 'hello', priority: getPriority() });
      expect(JSON.parse(await runNodeScript(script, 'hello', [], { nice: true }))).toEqual({ input: 'hello', priority: 19 });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('waiting for a quiet server before a scenario', () => {
  it('waits while the process keeps a core busy, and returns once it idles', { timeout: 30_000 }, async () => {
    // Busy for 1.5 s of its own CPU (not of wall time, which a loaded machine stretches: it once got 0.97 s
    // of CPU in 1.5 s beside a full test run), then idle until killed.
    const child = spawn(process.execPath, ['-e', 'const used = () => { const u = process.cpuUsage(); return u.user + u.system; }; while (used() < 1_500_000); setTimeout(() => {}, 60_000);']);
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const quiet = await quietProcess(child.pid!, { windowMs: 200 });
      expect(quiet.quiet).toBe(true);
      expect(quiet.waitedSeconds).toBeGreaterThanOrEqual(0.8);
      expect(cpuSeconds(child.pid!)).toBeGreaterThanOrEqual(1);
      // Idle already: one window.
      expect((await quietProcess(child.pid!, { windowMs: 200 })).waitedSeconds).toBeLessThan(0.5);
      // Bounded: a process that never idles is waited for only so long.
      const spinner = spawn(process.execPath, ['-e', 'while (true);']);
      try {
        expect(await quietProcess(spinner.pid!, { windowMs: 200, limitMs: 1_000 })).toMatchObject({ quiet: false });
      } finally {
        spinner.kill('SIGKILL');
      }
    } finally {
      child.kill('SIGKILL');
    }
  });
});
