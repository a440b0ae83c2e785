// Turns a run's measurements into bench/results/latest.json and the markdown table (printed, and the
// same text bench/README.md quotes): every figure beside its ceiling, with the issue's target.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoadResult } from './load.js';
import { type ScenarioName, targets } from './scenarios.js';
import type { ImportFigure, RawInsertFigure } from './storage.js';

export type ScenarioFigure = LoadResult & {
  world: string;
  synchronous?: 'FULL' | 'NORMAL';
  /** Seconds waited before the scenario for the server's CPU to go quiet (bench/processes.ts quietProcess), and whether it did. */
  serverQuiet?: { waitedSeconds: number; quiet: boolean };
};

export type RunResults = {
  engine: 'sqlite' | 'postgres';
  startedAt: string;
  node: string;
  cpus: number;
  /** 1-minute load average at the start: how busy the machine was besides the bench. */
  loadAverageAtStart: number;
  options: { scale: string; durationSeconds: number; warmupSeconds: number; connections: number; only: string[] | null; rawSeconds?: number };
  /** `generated`: made in this run (seedSeconds spent in it); else a copy of a world the cache held. */
  worlds: { label: string; workers: number; members: number; appeals: number; appealEvents: number; units: number; stations: number; activities: number; seedSeconds: number; generated?: boolean; copySeconds?: number; reusedFrom?: string; committee?: string; visitsUnit?: string }[];
  ceilings: { hello?: LoadResult; write: Partial<Record<'FULL' | 'NORMAL', LoadResult>>; rawInsert?: RawInsertFigure };
  scenarios: ScenarioFigure[];
  imports: { csv?: ImportFigure; xlsx?: ImportFigure };
  /** Peak RSS (VmHWM) of the server process at each world size, MB. */
  serverPeakRssMb: Record<string, number | null>;
  /** The server's peak RSS within each phase (start-up, each scenario, the imports) and its RSS after it, MB. */
  serverMemory?: { world: string; phase: string; peakMb: number | null; rssAfterMb: number | null }[];
  growth: Partial<Record<ScenarioName, { from: string; to: string; p50Ratio: number | null }>>;
  /** Wall seconds of each part of the run, in order: where the time budget went. */
  phases: { name: string; seconds: number }[];
  totalSeconds: number;
};

/** The issue's budget for one `npm run bench` on this machine. */
export const RUN_BUDGET_SECONDS = 15 * 60;

const fmt = (n: number) => n.toLocaleString('en');
const ratio = (n: number, of: number | undefined) => (of ? (n / of).toFixed(3) : '—');
const non2xxText = (r: LoadResult) => {
  const parts = Object.entries(r.non2xx).map(([s, c]) => `${c}×${s}`);
  // autocannon counts a timeout as an error as well.
  if (r.errors - r.timeouts > 0) parts.push(`${r.errors - r.timeouts} errors`);
  if (r.timeouts) parts.push(`${r.timeouts} timeouts (≥ ${r.timeoutSeconds ?? '?'} s)`);
  return parts.length ? parts.join(', ') : '0';
};

/** Growth of p50 between the smallest and the largest world, per scenario measured in both. */
export function growthOf(figures: ScenarioFigure[], smallest: string, largest: string): RunResults['growth'] {
  const out: RunResults['growth'] = {};
  if (smallest === largest) return out;
  for (const f of figures) {
    if (f.world !== largest || f.synchronous === 'NORMAL') continue;
    const small = figures.find((g) => g.world === smallest && g.name === f.name && g.synchronous !== 'NORMAL');
    if (!small || small.p50Ms <= 0) continue;
    // No answer at the largest world has no p50: not a growth of 0.
    out[f.name as ScenarioName] = { from: smallest, to: largest, p50Ratio: f.requests > 0 ? Math.round((f.p50Ms / small.p50Ms) * 100) / 100 : null };
  }
  return out;
}

function verdict(f: ScenarioFigure, results: RunResults, largest: string): string {
  const t = targets[f.name as ScenarioName];
  if (!t || f.world !== largest) return '';
  if (f.requests === 0) return `NO ANSWER within the run${f.inFlightAtCut ? ` (${f.inFlightAtCut} in flight at the cut)` : ''}`;
  const checks: string[] = [];
  const busy = f.drained === false ? `; server still busy ${f.drainSeconds} s after the warm-up` : '';
  const ceiling = t.ratioOf === 'write' ? results.ceilings.write[f.synchronous ?? 'FULL']?.requestsPerSecond : results.ceilings.hello?.requestsPerSecond;
  if (t.minRatio !== undefined && ceiling) checks.push(`${f.requestsPerSecond / ceiling >= t.minRatio ? 'met' : 'MISSED'} ≥ ${t.minRatio}×`);
  // A timed-out request has no latency in the histogram: with any, the p99 of the answered ones flatters.
  if (t.maxP99Ms !== undefined) checks.push(`${f.p99Ms <= t.maxP99Ms && !f.timeouts ? 'met' : 'MISSED'} p99 ≤ ${t.maxP99Ms} ms${f.timeouts ? ` (${f.timeouts} timeouts)` : ''}`);
  const growth = results.growth[f.name as ScenarioName];
  if (t.maxGrowth !== undefined && growth && f.synchronous !== 'NORMAL') checks.push(`${growth.p50Ratio !== null && growth.p50Ratio <= t.maxGrowth ? 'met' : 'MISSED'} growth ≤ ${t.maxGrowth}`);
  return checks.join('; ') + busy;
}

/** Where the run's time went, phase by phase, against the issue's 15 minutes. */
function phaseLines(results: RunResults): string[] {
  if (results.phases.length === 0) return [];
  const total = Math.round(results.totalSeconds);
  const listed = results.phases.reduce((sum, p) => sum + p.seconds, 0);
  const share = (seconds: number) => (total > 0 ? `${Math.round((seconds / total) * 100)} %` : '—');
  const lines = ['', `| Where the time went | seconds | share |`, '|---|---:|---:|'];
  for (const p of results.phases) lines.push(`| ${p.name} | ${p.seconds} | ${share(p.seconds)} |`);
  const other = Math.max(0, Math.round((total - listed) * 10) / 10);
  lines.push(`| other (start-up, cluster, summaries) | ${other} | ${share(other)} |`);
  lines.push(`| **total** | **${total}** | ${total <= RUN_BUDGET_SECONDS ? 'met' : 'MISSED'} ≤ ${RUN_BUDGET_SECONDS} s |`);
  return lines;
}

function seededText(w: RunResults['worlds'][number]): string {
  if (w.generated === false && w.reusedFrom) return `cached copy of key ${w.reusedFrom}, reused (--reuse-world; generated earlier in ${w.seedSeconds} s; copied in ${w.copySeconds ?? '—'} s)`;
  if (w.generated === false) return `cached copy (generated earlier in ${w.seedSeconds} s; copied in ${w.copySeconds ?? '—'} s)`;
  if (w.generated === true) return `generated (${w.seedSeconds} s)`;
  // Results written before the flag existed.
  return `${w.seedSeconds} s${w.copySeconds !== undefined ? ` (cached; copied in ${w.copySeconds} s)` : ''}`;
}

function rawNote(raw: RawInsertFigure): string {
  const notes: string[] = [];
  if (raw.stoppedByBudget) notes.push(`stopped after ${raw.budgetSeconds} s of inserting`);
  const tx = raw.transactions ?? [];
  if (tx.length > 1) {
    const rate = (t: { rows: number; seconds: number }) => fmt(Math.round(t.rows / Math.max(t.seconds, 0.1)));
    notes.push(`per transaction ${rate(tx[0]!)} → ${rate(tx.at(-1)!)} rows/s`);
  }
  return notes.join('; ');
}

/** Where the largest world's server reached its peak: the phase whose own peak is highest is the one to cut. */
function memoryLines(results: RunResults, largest: string): string[] {
  const rows = (results.serverMemory ?? []).filter((m) => m.world === largest);
  if (rows.length === 0) return [];
  const mb = (n: number | null) => (n === null ? '—' : fmt(n));
  return ['', `| Server memory at ${largest}, by phase | peak RSS in it, MB | RSS after it, MB |`, '|---|---:|---:|', ...rows.map((m) => `| ${m.phase} | ${mb(m.peakMb)} | ${mb(m.rssAfterMb)} |`)];
}

export function markdownOf(results: RunResults): string {
  const largest = results.worlds.at(-1)?.label ?? '';
  const hello = results.ceilings.hello?.requestsPerSecond;
  const lines = [
    `${results.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${results.options.connections} connections, ${results.options.warmupSeconds} s warm-up + ${results.options.durationSeconds} s per scenario; Node ${results.node}, ${results.cpus} CPUs, load average ${results.loadAverageAtStart} at the start.`,
    '',
    '| Scenario | World | req/s | × ceiling | p50 ms | p99 ms | server loop max ms | non-2xx | target |',
    '|---|---|---:|---:|---:|---:|---:|---|---|',
  ];
  const row = (name: string, world: string, r: LoadResult, of: number | undefined, target = '') =>
    lines.push(`| ${name} | ${world} | ${fmt(r.requestsPerSecond)} | ${ratio(r.requestsPerSecond, of)} | ${r.p50Ms} | ${r.p99Ms} | ${r.serverLoopDelay ? fmt(Math.round(r.serverLoopDelay.maxMs)) : '—'} | ${non2xxText(r)} | ${target} |`);
  if (results.ceilings.hello) row('ceiling: Fastify hello-world', '—', results.ceilings.hello, hello);
  for (const [sync, r] of Object.entries(results.ceilings.write)) row(`ceiling: validated insert over HTTP${results.engine === 'sqlite' ? ` (synchronous=${sync})` : ''}`, '—', r, hello);
  for (const f of results.scenarios) {
    const t = targets[f.name as ScenarioName];
    const of = t?.ratioOf === 'write' ? results.ceilings.write[f.synchronous ?? 'FULL']?.requestsPerSecond : hello;
    const label = f.synchronous && results.engine === 'sqlite' ? `${f.name} (synchronous=${f.synchronous})` : f.name;
    row(label, f.world, f, of, verdict(f, results, largest));
  }
  const raw = results.ceilings.rawInsert;
  if (raw || results.imports.csv) {
    lines.push('', '| Storage | Rows | Seconds | rows/s | × raw insert | note |', '|---|---:|---:|---:|---:|---|');
    if (raw) lines.push(`| ceiling: raw batched insert | ${fmt(raw.rows)} | ${raw.seconds} | ${fmt(raw.rowsPerSecond)} | 1.000 | ${rawNote(raw)} |`);
    for (const [kind, f] of Object.entries(results.imports)) {
      const target = kind === 'csv' ? `${raw && f.rowsPerSecond / raw.rowsPerSecond >= 0.5 ? 'met' : 'MISSED'} ≥ 0.5×; ` : '';
      const poll = f.statusPoll ? `; its status answered p50 ${f.statusPoll.p50Ms} ms, p99 ${f.statusPoll.p99Ms}, max ${fmt(f.statusPoll.maxMs)} (${fmt(f.statusPoll.polls)} polls)` : '';
      const filed = f.filingProbe ? `; an appeal filed meanwhile answered p50 ${f.filingProbe.p50Ms} ms, p99 ${fmt(f.filingProbe.p99Ms)}, max ${fmt(f.filingProbe.maxMs)} (${fmt(f.filingProbe.polls)} filed, ${f.filingProbe.failed} failed)` : '';
      lines.push(`| import ${kind.toUpperCase()} over HTTP | ${fmt(f.rows)} | ${f.seconds} | ${fmt(f.rowsPerSecond)} | ${ratio(f.rowsPerSecond, raw?.rowsPerSecond)} | ${target}created ${fmt(f.created)}, rejected ${fmt(f.rejected)}${poll}${filed} |`);
    }
  }
  const growth = Object.entries(results.growth);
  if (growth.length) {
    lines.push('', `| Cost growth (p50 ${growth[0]![1].to} ÷ p50 ${growth[0]![1].from}) | ratio | target ≤ 2 |`, '|---|---:|---|');
    for (const [name, g] of growth) lines.push(`| ${name} | ${g.p50Ratio ?? 'no answer at the largest'} | ${g.p50Ratio !== null && g.p50Ratio <= 2 ? 'met' : 'MISSED'} |`);
  }
  lines.push('', '| World | workers | members | appeals (events) | units | stations | activities | seeded in | server peak RSS |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const w of results.worlds) {
    const rss = results.serverPeakRssMb[w.label];
    // The imports run on the same server at the largest world: the target holds for its peak with them too.
    const withImports = results.serverPeakRssMb[`${w.label} + imports`];
    const peak = Math.max(rss ?? 0, withImports ?? 0);
    const rssText = `${rss ?? '—'} MB${withImports ? `, ${withImports} MB with the imports` : ''}`;
    lines.push(`| ${w.label} | ${fmt(w.workers)} | ${fmt(w.members)} | ${fmt(w.appeals)} (${fmt(w.appealEvents)}) | ${fmt(w.units)} | ${fmt(w.stations)} | ${fmt(w.activities)} | ${seededText(w)} | ${rssText}${w.label === largest && peak > 0 ? ` (${peak <= 500 ? 'met' : 'MISSED'} ≤ 500)` : ''} |`);
  }
  lines.push(...memoryLines(results, largest));
  lines.push(...phaseLines(results));
  lines.push('', `Total ${Math.round(results.totalSeconds)} s.`);
  return lines.join('\n');
}

export function writeResults(results: RunResults): string {
  const table = markdownOf(results);
  // CONVOY_BENCH_RESULTS: a trial run (a smoke test of the harness) writes elsewhere than the committed results.
  const folder = process.env.CONVOY_BENCH_RESULTS ? pathToFileURL(`${resolve(process.env.CONVOY_BENCH_RESULTS)}/`) : new URL('./results/', import.meta.url);
  mkdirSync(folder, { recursive: true });
  const name = results.engine === 'postgres' ? 'latest-pg' : 'latest';
  writeFileSync(new URL(`${name}.json`, folder), JSON.stringify({ ...results, table }, null, 2) + '\n');
  writeFileSync(new URL(`${name}.md`, folder), table + '\n');
  return table;
}
