import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

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

export async function buildWebBundle(root = resolve('.')): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: resolve(root, 'vite.config.ts'), logLevel: 'warn' });
}
