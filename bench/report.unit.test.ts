import { describe, expect, it } from 'vitest';
import type { LoadResult } from './load.js';
import { growthOf, markdownOf, type RunResults } from './report.js';

const load = (name: string, overrides: Partial<LoadResult> = {}): LoadResult => ({
  name,
  connections: 50,
  seconds: 10,
  requests: 1000,
  requestsPerSecond: 100,
  p50Ms: 20,
  p99Ms: 60,
  meanMs: 25,
  non2xx: {},
  errors: 0,
  timeouts: 0,
  timeoutSeconds: 8,
  inFlightAtCut: 50,
  drainSeconds: 0.1,
  drained: true,
  ...overrides,
});

const world = (label: string, generated: boolean) => ({ label, workers: 10_000, members: 1_000, appeals: 9_985, appealEvents: 81_322, units: 942, stations: 200, activities: 401, seedSeconds: 5, generated, copySeconds: 0.1 });

function results(overrides: Partial<RunResults> = {}): RunResults {
  return {
    engine: 'sqlite',
    startedAt: '2026-12-05T12:00:00.000Z',
    node: 'v20',
    cpus: 2,
    loadAverageAtStart: 1,
    options: { scale: '100k', durationSeconds: 10, warmupSeconds: 3, connections: 50, only: null, rawSeconds: 60 },
    worlds: [world('10k', false), { ...world('100k', true), seedSeconds: 38 }],
    ceilings: { hello: load('hello', { requestsPerSecond: 20_000 }), write: {}, rawInsert: { rows: 300_000, seconds: 61.2, rowsPerSecond: 4_902, budgetSeconds: 60, stoppedByBudget: true, transactions: [{ rows: 50_000, seconds: 9.1 }, { rows: 50_000, seconds: 10.4 }] } },
    scenarios: [
      { ...load('ics', { requests: 0, requestsPerSecond: 0, p50Ms: 0, p99Ms: 0, timeouts: 50, errors: 50, inFlightAtCut: 50 }), world: '100k' },
      { ...load('geojson', { timeouts: 3, errors: 3 }), world: '100k' },
      { ...load('inbox', { drained: false, drainSeconds: 10, serverLoopDelay: { maxMs: 183.76, p99Ms: 11.4 } }), world: '100k' },
    ],
    imports: {},
    serverPeakRssMb: { '10k': 300, '100k': 320 },
    growth: {},
    phases: [
      { name: 'world 100k: generated', seconds: 38 },
      { name: 'ics @100k', seconds: 15.2 },
    ],
    totalSeconds: 960,
    ...overrides,
  };
}

describe('the bench report', () => {
  const table = markdownOf(results());

  it('tells a world generated in this run from a copy of a cached one', () => {
    expect(table).toContain('| 100k | 10,000 |');
    expect(table).toMatch(/\| 100k \|.*\| generated \(38 s\) \|/);
    expect(table).toMatch(/\| 10k \|.*\| cached copy \(generated earlier in 5 s; copied in 0.1 s\) \|/);
  });

  it('counts timeouts and never calls a p99 met when requests timed out; says when nothing was answered', () => {
    expect(table).toMatch(/\| ics \| 100k \|.*\| 50 timeouts \(≥ 8 s\) \| NO ANSWER within the run \(50 in flight at the cut\) \|/);
    expect(table).toMatch(/\| geojson \| 100k \|.*\| 3 timeouts \(≥ 8 s\) \| MISSED p99 ≤ 100 ms \(3 timeouts\) \|/);
    expect(table).toMatch(/\| inbox \| 100k \|.*met p99 ≤ 100 ms; server still busy 10 s after the warm-up \|/);
    // The server's longest event-loop stall in the measurement, after p99; a dash where it was not read.
    expect(table).toMatch(/\| inbox \| 100k \| 100 \| [^|]+ \| 20 \| 60 \| 184 \| /);
    expect(table).toMatch(/\| geojson \| 100k \| 100 \| [^|]+ \| 20 \| 60 \| — \| /);
  });

  it('calls a scenario with no answer at the largest world a missed growth, never a growth of 0', () => {
    const figures = [
      { ...load('figures-visits', { p50Ms: 24 }), world: '10k' },
      { ...load('figures-visits', { requests: 0, requestsPerSecond: 0, p50Ms: 0, p99Ms: 0, timeouts: 50 }), world: '1m' },
      { ...load('search', { p50Ms: 200 }), world: '10k' },
      { ...load('search', { p50Ms: 147 }), world: '1m' },
    ];
    const growth = growthOf(figures, '10k', '1m');
    expect(growth['figures-visits']).toEqual({ from: '10k', to: '1m', p50Ratio: null });
    expect(growth.search?.p50Ratio).toBe(0.74);
    const printed = markdownOf(results({ growth }));
    expect(printed).toContain('| figures-visits | no answer at the largest | MISSED |');
    expect(printed).toContain('| search | 0.74 | met |');
  });

  it('prints where the time went against the 15-minute budget, and the raw insert as a rate with its budget', () => {
    expect(table).toContain('| world 100k: generated | 38 | 4 % |');
    expect(table).toContain('| ics @100k | 15.2 | 2 % |');
    expect(table).toContain('| other (start-up, cluster, summaries) | 906.8 | 94 % |');
    expect(table).toContain('| **total** | **960** | MISSED ≤ 900 s |');
    expect(markdownOf(results({ totalSeconds: 840 }))).toContain('| **total** | **840** | met ≤ 900 s |');
    expect(table).toContain('| ceiling: raw batched insert | 300,000 | 61.2 | 4,902 | 1.000 | stopped after 60 s of inserting; per transaction 5,495 → 4,808 rows/s |');
  });

  it("prints the largest world's server memory phase by phase, so the phase that sets the peak shows", () => {
    const serverMemory = [
      { world: '10k', phase: 'start-up', peakMb: 150, rssAfterMb: 140 },
      { world: '100k', phase: 'start-up', peakMb: 210, rssAfterMb: 200 },
      { world: '100k', phase: 'geojson', peakMb: 480, rssAfterMb: 300 },
      { world: '100k', phase: 'import CSV', peakMb: null, rssAfterMb: null },
    ];
    const printed = markdownOf(results({ serverMemory }));
    expect(printed).toContain('| Server memory at 100k, by phase | peak RSS in it, MB | RSS after it, MB |');
    expect(printed).toContain('| geojson | 480 | 300 |');
    expect(printed).toContain('| import CSV | — | — |');
    expect(printed).not.toContain('| start-up | 150 |');
    expect(table).not.toContain('Server memory at');
  });

  it("holds the largest world's server to 500 MB with its imports too (they run on the same server)", () => {
    expect(table).toMatch(/\| 100k \|.*\| 320 MB \(met ≤ 500\) \|/);
    const printed = markdownOf(results({ serverPeakRssMb: { '10k': 300, '100k': 320, '100k + imports': 507 } }));
    expect(printed).toMatch(/\| 100k \|.*\| 320 MB, 507 MB with the imports \(MISSED ≤ 500\) \|/);
    expect(printed).toMatch(/\| 10k \|.*\| 300 MB \|/);
  });
});
