// The real server as its own process, for tests about what survives a crash or a restart.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { openLogFile } from './test-logs.js';

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

export type ServerProcess = { baseUrl: string; child: ChildProcess; output: () => string; kill: (signal: NodeJS.Signals) => Promise<void> };

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** `node --import tsx server/main.ts` (production mode) on the given database; resolves once /readyz answers. */
export async function startServerProcess(databaseUrl: string, secret: string, port?: number, env: Record<string, string> = {}): Promise<ServerProcess> {
  const listenPort = port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${listenPort}`;
  const logs: string[] = [];
  // In a test run (test-logs.ts) the server logs everything, into a file the scan reads afterwards.
  const logFile = openLogFile('process', 'server-process');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: String(listenPort), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, CONVOY_SECRET: secret, LOG_LEVEL: logFile ? 'trace' : 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    logs.push(chunk.toString());
    logFile?.write(chunk.toString());
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      await exited;
    }
    logFile?.close();
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}) before it was ready:\n${logs.join('')}`);
    try {
      if ((await fetch(`${baseUrl}/readyz`)).status === 200) return { baseUrl, child, output: () => logs.join(''), kill };
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  await kill('SIGKILL');
  throw new Error(`The server was not ready within 60 s:\n${logs.join('')}`);
}
