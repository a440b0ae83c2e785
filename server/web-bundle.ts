import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

// Demo mode serves the web app from the same process; it rebuilds the bundle when any source is newer
// than the built index.html, so `npm start` after a pull never serves stale pages.
function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'dist' || entry === 'node_modules') continue;
    newest = Math.max(newest, newestChange(join(path, entry)));
  }
  return newest;
}

export function webBundleIsStale(root = resolve('.')): boolean {
  const built = resolve(root, 'web/dist/index.html');
  if (!existsSync(built)) return true;
  const sources = ['web', 'vite.config.ts', 'package-lock.json'].map((p) => resolve(root, p)).filter(existsSync);
  const newestSource = Math.max(...sources.map(newestChange));
  return newestSource > statSync(built).mtimeMs;
}

/**
 * Builds in a process of its own: the server runs with a bounded heap (package.json config.serverNodeFlags,
 * issue 6), and a Vite build of the whole app needs more than that bound (it ran out of heap inside it).
 */
export async function buildWebBundle(root = resolve('.')): Promise<void> {
  const manifest = createRequire(import.meta.url).resolve('vite/package.json');
  const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin: { vite: string } }).bin.vite;
  const child = spawn(process.execPath, [join(dirname(manifest), bin), 'build', '--config', resolve(root, 'vite.config.ts'), '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  const code = await new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('exit', done);
  });
  if (code !== 0) throw new Error(`Building the web app failed (vite build exited with ${code})`);
}
