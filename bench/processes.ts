// The processes a bench run starts: the real server (node --import tsx server/main.ts, production mode),
// the ceiling servers, and the load driver. Each is its own process, so the driver's CPU never counts
// as the server's and the server's peak RSS is its own (VmHWM from /proc).
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A memory figure of a process's /proc status in MB (VmHWM: the kernel's high-water mark; VmRSS: now), or null. */
function statusMb(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): number | null {
  if (pid === undefined) return null;
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** Peak resident set size of a process in MB, or null. */
/** CPU seconds the process has used so far (user + system, from /proc; Linux counts 100 ticks a second), null once it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (in parentheses) may hold spaces; the fields after it start with the state (field 3).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * Waits until the process uses less than `share` of a core over a `windowMs` window, for at most `limitMs`.
 * A scenario should start on a server that has finished the previous one's work: answering /healthz (the
 * load driver's settle) does not tell that. After the login phase the server still works through the
 * password hashes of the requests cut at its end, on libuv's pool, into the next scenario.
 */
export async function quietProcess(pid: number, options: { windowMs?: number; share?: number; limitMs?: number } = {}): Promise<{ waitedSeconds: number; quiet: boolean }> {
  const { windowMs = 250, share = 0.15, limitMs = 30_000 } = options;
  const started = Date.now();
  const waited = () => Math.round((Date.now() - started) / 100) / 10;
  // A process that is gone is quiet too: the scenario then meets the failure itself.
  let before = cpuSeconds(pid);
  while (before !== null && Date.now() - started < limitMs) {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const after = cpuSeconds(pid);
    if (after === null || after - before <= (share * windowMs) / 1000) return { waitedSeconds: waited(), quiet: true };
    before = after;
  }
  return { waitedSeconds: waited(), quiet: before === null };
}

export const peakRssMb = (pid: number | undefined) => statusMb(pid, 'VmHWM');
/** Current resident set size of a process in MB, or null. */
export const rssMb = (pid: number | undefined) => statusMb(pid, 'VmRSS');

/** Resets the kernel's high-water mark to the current RSS (clear_refs 5), so the next VmHWM is one phase's peak. */
function resetPeakRss(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Not our process or an old kernel: the phase peaks then read as the peak so far.
  }
}

export type Running = {
  url: string;
  pid: number;
  /** The highest peak RSS seen over the process's life, across every phase. */
  peakRssMb: () => number | null;
  /** Peak RSS since the previous call (or the start) and RSS now; starts a new phase. */
  phasePeak: () => { peakMb: number | null; rssMb: number | null };
  stop: () => Promise<void>;
  /** The last ~4,000 characters the process wrote (stdout and stderr): what it said before a failure. */
  output: () => string;
};

async function waitUntilAnswering(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode} during start-up:\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * The node flags the server is shipped with (package.json "config.serverNodeFlags", which `npm start` and
 * `npm run serve` pass too): the bench starts the server with them, so it measures the server as it runs.
 */
export function serverNodeFlags(): string[] {
  const manifest = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { config?: { serverNodeFlags?: string } };
  return (manifest.config?.serverNodeFlags ?? '').split(/\s+/).filter(Boolean);
}

/** Starts `node [nodeArgs] --import tsx <script>` with the environment given and waits until readyPath answers 200. */
export async function startNodeProcess(
  script: string,
  options: { env: Record<string, string>; port: number; readyPath: string; args?: string[]; nodeArgs?: readonly string[]; timeoutMs?: number },
): Promise<Running> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', script, ...(options.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, ...options.env, PORT: String(options.port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${options.port}`;
  let highest: number | null = null;
  const readPeak = () => {
    const peak = peakRssMb(child.pid);
    if (peak !== null) highest = Math.max(highest ?? 0, peak);
    return peak;
  };
  try {
    await waitUntilAnswering(url + options.readyPath, child, () => output, options.timeoutMs ?? 180_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    pid: child.pid!,
    peakRssMb: () => {
      readPeak();
      return highest;
    },
    phasePeak: () => {
      const peakMb = readPeak();
      const now = rssMb(child.pid);
      resetPeakRss(child.pid);
      return { peakMb, rssMb: now };
    },
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Runs a script to completion in its own process and returns what it printed on stdout. `nice`: at the lowest CPU priority (its children too). */
export async function runNodeScript(script: string, input: string, nodeArgs: readonly string[] = [], options: { nice?: boolean } = {}): Promise<string> {
  const [file, ...args] = [...(options.nice ? ['nice', '-n', '19'] : []), process.execPath, ...nodeArgs, '--import', 'tsx', script];
  const child = spawn(file, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stdin.end(input);
  // 'close', not 'exit': Node may report the exit before the last of stdout has been read; 'close' comes after it.
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  return out;
}
