import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, ROOT, serverNodeFlags, startNodeProcess } from './processes.js';

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
});
