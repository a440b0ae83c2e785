// Which activities the demo world holds: a monthly members-only meeting and an open activity or so per
// branch, a few per platform committee and per city committee, from three months back to a month ahead.
// Pure: decides titles, times, places, capacities and audiences from a random stream; nobody takes
// part here (see activities-world.ts).
import type { ActivityAudience, ActivityKind } from '../tables-activities.js';
import { type KindWords, branchKinds, cancelReasons, cityCentres, cityKinds, committeeKinds, kindWords, roads } from './activities-vocabulary.js';
import type { SeedUnit } from './org-world.js';
import type { Random } from './random.js';
import { seedCity } from './regions.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Three windows of 30 days behind "now" and one ahead. */
export const WINDOWS = [-3, -2, -1, 0] as const;

export type Organizer = {
  unit: SeedUnit;
  level: 'branch' | 'committee' | 'city';
  cityCode: string;
  platformId: number | null;
};

export type Draft = {
  id: number;
  kind: ActivityKind;
  title: string;
  description: string;
  unitId: number;
  address: string;
  lat: number | null;
  lng: number | null;
  start: number;
  end: number;
  capacity: number | null;
  audience: ActivityAudience;
  audiencePlatformId: number | null;
  audienceCityCode: string | null;
  cancelled: { at: number; reason: string } | null;
  version: number;
  created: number;
  updated: number;
  organizer: Organizer;
};

const round = (value: number, step: number) => Math.round(value / step) * step;

function placeOf(rng: Random, cityCode: string, words: KindWords): { address: string; lat: number | null; lng: number | null } {
  const city = seedCity(cityCode);
  const district = city.districts.length > 0 ? rng.pick(city.districts).name : '';
  const address = `${city.name}${district}${rng.pick(roads)}${rng.int(1, 399)}号 ${rng.pick(words.venues)}`;
  const centre = cityCentres[cityCode];
  if (!centre) return { address, lat: null, lng: null };
  // Within about 10 km of the centre, rounded to about 100 m.
  return { address, lat: Number((centre.lat + (rng.next() - 0.5) * 0.18).toFixed(3)), lng: Number((centre.lng + (rng.next() - 0.5) * 0.2).toFixed(3)) };
}

/** A start instant at one of the kind's hours on a day given as its midnight in China (in UTC ms). */
function startOn(rng: Random, chinaMidnight: number, words: KindWords): number {
  const hour = rng.pick(words.hours);
  const minute = rng.pick([0, 0, 30]);
  return chinaMidnight + hour * HOUR + minute * 60_000;
}

export class ActivityPlanner {
  private nextId: number;
  readonly drafts: Draft[] = [];

  constructor(
    private readonly rng: Random,
    private readonly now: number,
    firstId: number,
  ) {
    this.nextId = firstId;
  }

  /** Midnight in China (as UTC ms) of today there. */
  private get today(): number {
    return Math.floor((this.now + 8 * HOUR) / DAY) * DAY - 8 * HOUR;
  }

  /** A China calendar day (its midnight in China, in UTC ms) within window `w`, never today. */
  private dayIn(w: number): number {
    const todayChina = this.today;
    const offset = w < 0 ? w * 30 + this.rng.int(0, 29) : this.rng.int(1, 30);
    return todayChina + (offset === 0 ? -1 : offset) * DAY;
  }

  add(organizer: Organizer, kind: ActivityKind, audience: ActivityAudience, day: number, overrides: { title?: string; start?: number; capacity?: number } = {}): Draft {
    const rng = this.rng;
    const words = kindWords[kind];
    const start = overrides.start ?? startOn(rng, day, words);
    const place = placeOf(rng, organizer.cityCode, words);
    const capacity = overrides.capacity ?? (words.capacity ? round(rng.int(words.capacity[0], words.capacity[1]), 5) : null);
    // Announced one to three weeks ahead; never after "now".
    const created = Math.min(this.now - HOUR, start - rng.int(7, 21) * DAY);
    let cancelled = rng.chance(0.04) ? { at: Math.min(this.now - HOUR, start - rng.int(1, 3) * DAY), reason: rng.pick(cancelReasons) } : null;
    if (cancelled && cancelled.at <= created) cancelled = null;
    // A quarter were changed once or twice after announcing (a room moved, a speaker added).
    const edits = rng.chance(0.25) ? rng.int(1, 2) : 0;
    const lastEdit = edits > 0 ? Math.min(this.now - HOUR, created + rng.int(1, 5) * DAY) : created;
    const draft: Draft = {
      id: this.nextId++,
      kind,
      title: overrides.title ?? rng.pick(words.titles),
      description: words.description,
      unitId: organizer.unit.id,
      ...place,
      start,
      end: start + words.minutes * 60_000,
      capacity,
      audience,
      audiencePlatformId: audience === 'platform_city' ? organizer.platformId : null,
      audienceCityCode: audience === 'platform_city' ? organizer.cityCode : null,
      cancelled,
      version: 1 + edits + (cancelled ? 1 : 0),
      created,
      updated: Math.max(lastEdit, cancelled?.at ?? 0),
      organizer,
    };
    this.drafts.push(draft);
    return draft;
  }

  /** Every window's activities for one organizer. */
  plan(organizer: Organizer): void {
    const rng = this.rng;
    for (const w of WINDOWS) {
      if (organizer.level === 'branch') {
        this.add(organizer, 'branch_meeting', 'members_only', this.dayIn(w));
        if (rng.chance(0.8)) this.add(organizer, rng.pick(branchKinds), rng.chance(0.6) ? 'branch' : 'platform_city', this.dayIn(w));
      } else if (organizer.level === 'committee') {
        if (rng.chance(0.9)) this.add(organizer, rng.pick(committeeKinds), 'platform_city', this.dayIn(w));
      } else {
        for (let i = 0; i < 2; i++) this.add(organizer, rng.pick(cityKinds), 'platform_city', this.dayIn(w));
      }
    }
  }

  /** The demo driver's upcoming health check: six days ahead, 09:00 in China, at his platform committee. */
  addDriverHealthCheck(organizer: Organizer): Draft {
    const day = this.today + 6 * DAY;
    const draft = this.add(organizer, 'health_check', 'platform_city', day, { title: '免费体检进司机之家', start: day + 9 * HOUR, capacity: 40 });
    draft.cancelled = null;
    draft.version = 1;
    draft.updated = draft.created;
    return draft;
  }
}
