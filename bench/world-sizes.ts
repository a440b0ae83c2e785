// How big a bench world is at a given number of workers, and the seed context its steps run with (shared by
// the world build and the appeals written beside it, world-appeals-beside.ts).
import type { Kysely } from 'kysely';
import type { SensitiveCodec } from '../server/core/sensitive.js';
import { benchShape, planFromShape, type WorldShape } from '../server/db/seed/org-plan.js';
import { Random } from '../server/db/seed/random.js';
import { emptySeedSummary, type SeedContext } from '../server/db/seed/seed-demo.js';
import type { Database } from '../server/db/tables.js';

export const BENCH_SEED = 20261125;
/**
 * Node flags of a world-build.ts process (either of a SQLite build's two): a million appeals' stories are told in
 * memory. With a heap of gigabytes each young-generation collection costs more (what survives is copied, and the
 * old generation's pointers into the young one are walked): at 1m the second process spent 38 s in 2,754 of them
 * with the default 16 MB semi-space, 13.6 s in 375 with 128 MB, and had its appeals ready in 174 s instead of 207
 * (`--trace-gc`, one run each, 22:20–22:33 UTC 2026-12-07).
 */
export const WORLD_BUILD_NODE_ARGS = ['--max-old-space-size=12288', '--max-semi-space-size=128'];
export const BENCH_PASSWORD = 'bench-password-2026';

/** How big a world is, derived from its number of workers (the ratios at 1,000,000). */
export type WorldSize = {
  label: string;
  workers: number;
  members: number;
  appeals: number;
  shape: WorldShape;
  /** The stations generator's size (it decides how many days of visits: two weeks at 'bench'). */
  stations: 'demo' | 'bench' | 'custom';
  stationCount: number;
  /** Branches that organize activities (with the committees above them): about 9.5 activities each. */
  activityBranches: number;
};

/** "10k", "100k", "1m", or a plain number of workers. */
export function parseScale(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`--scale must look like 10k, 100k or 1m (got "${text}")`);
  const factor = { '': 1, k: 1_000, m: 1_000_000 }[m[2]!.toLowerCase() as '' | 'k' | 'm'];
  return Math.round(Number(m[1]) * factor);
}

export const labelOf = (workers: number) => (workers >= 1_000_000 && workers % 1_000_000 === 0 ? `${workers / 1_000_000}m` : workers % 1_000 === 0 ? `${workers / 1_000}k` : String(workers));

// About 40 workers per mobile branch at every size, as in the bench preset (24,000 branches for a
// million workers): the tree grows in breadth (more cities), so a branch looks the same at any size and
// the units grow with the workers (~110,000 at 1m). Per million workers, as the issue sizes its world:
// 20,000 stations and 50,000 activities.
export function worldSizeOf(workers: number): WorldSize {
  const cities = Math.max(2, Math.round(workers / 2_900));
  const perProvince = Math.max(1, Math.ceil(cities / 31));
  const shape: WorldShape = cities >= 300 ? benchShape : { ...benchShape, provinces: Math.min(31, Math.ceil(cities / perProvince)), citiesPerProvince: perProvince };
  return {
    label: labelOf(workers),
    workers,
    members: Math.round(workers / 10),
    appeals: workers,
    shape,
    stations: workers >= 1_000_000 ? 'bench' : workers >= 100_000 ? 'demo' : 'custom',
    stationCount: Math.max(8, Math.round(workers / 50)),
    activityBranches: Math.max(1, Math.round(workers / 20 / 9.5)),
  };
}

/** The context the seed's steps run with, at the bench's seed and this size. */
export function seedContextOf(db: Kysely<Database>, size: WorldSize, options: { now: Date; codec: SensitiveCodec }): SeedContext {
  return {
    db,
    now: options.now,
    seed: BENCH_SEED,
    plan: planFromShape(size.shape, BENCH_SEED),
    random: (step) => Random.stream(BENCH_SEED, step),
    codec: options.codec,
    people: { workers: size.workers, members: size.members },
    summary: emptySeedSummary(BENCH_SEED, size.stations),
  };
}
