// A small seeded PRNG for the demo world: the same seed gives the same world, byte for byte, on
// every machine. Math.random cannot be seeded, and a dependency would be more than this needs.

/** FNV-1a over UTF-16 code units: turns a step name into 32 bits to mix into the seed. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32: spreads a small integer seed over the four words sfc32 needs. */
function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const DAY_MS = 86_400_000;

// A world spans a few thousand distinct days but asks for them hundreds of thousands of times;
// parsing and formatting through Date each time was most of the time spent building 100k units.
const dayOfDate = new Map<string, number>();
const dateOfDay = new Map<number, string>();

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date. */
export function epochDay(date: string): number {
  let day = dayOfDate.get(date);
  if (day === undefined) {
    day = Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
    dayOfDate.set(date, day);
  }
  return day;
}

/** The 'YYYY-MM-DD' date a number of days after 1970-01-01. */
export function dateOfEpochDay(day: number): string {
  let date = dateOfDay.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dateOfDay.set(day, date);
  }
  return date;
}

export function addDays(date: string, days: number): string {
  return dateOfEpochDay(epochDay(date) + days);
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, passes
 * PractRand, and runs at a few nanoseconds per number, which matters when later steps draw a
 * million worker names.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, label = '') {
    const mix = splitmix32((seed ^ hashLabel(label)) >>> 0);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix() | 1;
    // The first outputs of a freshly seeded sfc32 are weakly mixed; the reference code discards 12.
    for (let i = 0; i < 12; i++) this.next();
  }

  /**
   * An independent stream for one seeding step, so adding draws to one step (or a new step)
   * never changes what the other steps generate.
   */
  static stream(seed: number, step: string): Random {
    return new Random(seed, step);
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    if (list.length === 0) throw new Error('pick from an empty list');
    return list[Math.floor(this.next() * list.length)] as T;
  }

  /** One item, chosen with probability proportional to its weight (linear scan: for short lists). */
  weightedPick<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  /** A 'YYYY-MM-DD' date in [from, to], both ends included, uniform by day. */
  dateBetween(from: string, to: string): string {
    const start = epochDay(from);
    const end = epochDay(to);
    return end <= start ? from : dateOfEpochDay(this.int(start, end));
  }

  /** Fisher–Yates, in place; returns the same array. */
  shuffle<T>(list: T[]): T[] {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = list[i] as T;
      list[i] = list[j] as T;
      list[j] = tmp;
    }
    return list;
  }
}

/**
 * Precomputes cumulative weights once and then picks in O(log n) per draw: the form to use in
 * hot loops (surnames over a million workers) where weightedPick's scan would dominate.
 */
export function weightedPicker<T>(items: readonly T[], weights: readonly number[]): (rng: Random) => T {
  if (items.length === 0 || items.length !== weights.length) throw new Error('weightedPicker needs one weight per item');
  const cumulative = new Float64Array(items.length);
  let total = 0;
  for (let i = 0; i < items.length; i++) {
    total += weights[i] as number;
    cumulative[i] = total;
  }
  const last = items.length - 1;
  return (rng) => {
    const r = rng.next() * total;
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > r) hi = mid;
      else lo = mid + 1;
    }
    return items[lo] as T;
  };
}
