// Who may take part in an activity, and when: audiences never look at membership except for branch
// meetings, the one kind that may be members-only. Sign-up, check-in and no-show follow the clock.
import type { Bilingual } from '../../core/i18n.js';
import type { ActivityAudience, ActivityKind, ActivityStatus, ParticipantStatus } from '../../db/tables-activities.js';

const HOUR = 3_600_000;
/** Check-in opens this long before the start (people arrive early) and closes at the end. */
export const CHECK_IN_LEAD_MS = 2 * HOUR;
const CHINA_OFFSET_MS = 8 * HOUR;

export type ActivityShape = {
  kind: ActivityKind;
  audience: ActivityAudience;
  startsAt: string;
  endsAt: string;
  capacity: number | null;
  signupOpensAt: string | null;
  signupClosesAt: string | null;
  stationId: number | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
};

export type RuleProblem = { field: string; message: Bilingual };

/** What makes an activity well-formed; the first problem found, or null. */
export function checkActivity(a: ActivityShape): RuleProblem | null {
  // Access to services never depends on political affiliation: only 组织生活 may be closed to non-members.
  if (a.audience === 'members_only' && a.kind !== 'branch_meeting') {
    return {
      field: 'audience',
      message: {
        zh: '只有支部组织生活（branch_meeting）可以仅限党员参加；其他活动必须向劳动者开放，不得以党员身份为条件。',
        en: 'Only branch meetings (branch_meeting) may be for members only; every other activity must be open to workers, never conditional on membership.',
      },
    };
  }
  if (Date.parse(a.endsAt) <= Date.parse(a.startsAt)) {
    return { field: 'endsAt', message: { zh: '结束时间必须晚于开始时间', en: 'the end must be after the start' } };
  }
  if (a.capacity !== null && a.capacity < 1) {
    return { field: 'capacity', message: { zh: '名额至少为 1，不限名额请留空', en: 'capacity must be at least 1; leave it empty for no limit' } };
  }
  if (a.stationId === null && (a.address === null || a.address.trim() === '')) {
    return { field: 'address', message: { zh: '请填写活动地点：服务站点或地址', en: 'say where it is held: a station or an address' } };
  }
  if ((a.lat === null) !== (a.lng === null)) {
    return { field: 'lng', message: { zh: '经纬度须同时填写', en: 'lat and lng go together' } };
  }
  const closes = signupClosesAt(a);
  if (a.signupOpensAt !== null && Date.parse(a.signupOpensAt) >= Date.parse(closes)) {
    return { field: 'signupOpensAt', message: { zh: '报名开始时间必须早于报名截止时间', en: 'sign-up must open before it closes' } };
  }
  if (Date.parse(closes) > Date.parse(a.endsAt)) {
    return { field: 'signupClosesAt', message: { zh: '报名截止时间不能晚于活动结束', en: 'sign-up cannot close after the activity ends' } };
  }
  return null;
}

/** Sign-up closes at the start unless the organizer set another time. */
export function signupClosesAt(a: Pick<ActivityShape, 'signupClosesAt' | 'startsAt'>): string {
  return a.signupClosesAt ?? a.startsAt;
}

type Timed = Pick<ActivityShape, 'startsAt' | 'endsAt' | 'signupOpensAt' | 'signupClosesAt'> & { status: ActivityStatus };

/** Why a sign-up is refused at this moment, or null when the window is open. */
export function signupRefusal(a: Timed, now: Date): Bilingual | null {
  if (a.status === 'cancelled') return { zh: '活动已取消', en: 'the activity has been cancelled' };
  const t = now.getTime();
  if (a.signupOpensAt !== null && t < Date.parse(a.signupOpensAt)) return { zh: '报名尚未开始', en: 'sign-up has not opened yet' };
  if (t >= Date.parse(signupClosesAt(a))) return { zh: '报名已截止', en: 'sign-up has closed' };
  return null;
}

/** Why a check-in is refused at this moment (from 2 h before the start to the end), or null. */
export function checkInRefusal(a: Pick<Timed, 'startsAt' | 'endsAt' | 'status'>, now: Date): Bilingual | null {
  if (a.status === 'cancelled') return { zh: '活动已取消', en: 'the activity has been cancelled' };
  const t = now.getTime();
  if (t < Date.parse(a.startsAt) - CHECK_IN_LEAD_MS) return { zh: '签到在活动开始前 2 小时开放', en: 'check-in opens 2 hours before the start' };
  if (t > Date.parse(a.endsAt)) return { zh: '活动已结束，不能再签到', en: 'the activity has ended; check-in is closed' };
  return null;
}

/** The places a GB/T 2260 code stands for, widest last: a district, its city and its province. */
export function divisionCodesCovering(code: string): string[] {
  const codes = [code, `${code.slice(0, 4)}00`, `${code.slice(0, 2)}0000`];
  return [...new Set(codes)];
}

/** Whether an audience code (province, city or district) covers a worker's city code. */
export function divisionCovers(audienceCode: string, workerCode: string): boolean {
  return divisionCodesCovering(workerCode).includes(audienceCode);
}

export type Audience = { audience: ActivityAudience; audiencePlatformId: number | null; audienceCityCode: string | null; unitPath: string };
export type Person =
  | { kind: 'worker'; platformId: number; cityCode: string; unitPath: string | null }
  | { kind: 'member'; unitPath: string };

/**
 * Whether a person belongs to an activity's audience. Workers of the platform and city, or those the
 * organizing unit's subtree serves; members only for members-only branch meetings. Membership itself
 * never admits or refuses anyone to an open activity.
 */
export function inAudience(a: Audience, p: Person): boolean {
  if (a.audience === 'members_only') return p.kind === 'member' && p.unitPath.startsWith(a.unitPath);
  if (p.kind !== 'worker') return false;
  if (a.audience === 'branch') return p.unitPath !== null && p.unitPath.startsWith(a.unitPath);
  if (a.audiencePlatformId !== null && a.audiencePlatformId !== p.platformId) return false;
  return a.audienceCityCode === null || divisionCovers(a.audienceCityCode, p.cityCode);
}

/** Confirmed while seats remain; after that, the waitlist. Unlimited capacity always confirms. */
export function placeFor(capacity: number | null, confirmed: number): 'confirmed' | 'waitlisted' {
  return capacity === null || confirmed < capacity ? 'confirmed' : 'waitlisted';
}

/** How many waitlisted people move up when a seat frees (or capacity grows) while the activity is still ahead. */
export function seatsToFill(a: { capacity: number | null; status: ActivityStatus; endsAt: string }, confirmed: number, waitlisted: number, now: Date): number {
  if (a.status === 'cancelled' || now.getTime() >= Date.parse(a.endsAt)) return 0;
  const free = a.capacity === null ? waitlisted : Math.max(0, a.capacity - confirmed);
  return Math.min(free, waitlisted);
}

export type Outcome = 'attended' | 'no_show' | 'expected' | 'waitlisted' | 'cancelled';

/** What became of a participant: no-shows are computed, never stored, once the activity has ended. */
export function outcomeOf(p: { status: ParticipantStatus; checkedInAt: string | null }, a: { endsAt: string; status: ActivityStatus }, now: Date): Outcome {
  if (p.checkedInAt !== null) return 'attended';
  if (p.status === 'cancelled' || a.status === 'cancelled') return 'cancelled';
  if (p.status === 'waitlisted') return 'waitlisted';
  return now.getTime() > Date.parse(a.endsAt) ? 'no_show' : 'expected';
}

/** The instants a calendar month (YYYY-MM) spans in China (UTC+8): [from, to). */
export function chinaMonthRange(month: string): { from: string; to: string } {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  const from = new Date(Date.UTC(year, mon - 1, 1) - CHINA_OFFSET_MS);
  const to = new Date(Date.UTC(year, mon, 1) - CHINA_OFFSET_MS);
  return { from: from.toISOString(), to: to.toISOString() };
}

/** Great-circle distance in kilometres (haversine); plenty for "which activity is near me". */
export function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A latitude/longitude box around a point, for an index-friendly first cut before the exact distance. */
export function boundingBox(center: { lat: number; lng: number }, radiusKm: number) {
  const dLat = radiusKm / 111.32;
  const dLng = radiusKm / (111.32 * Math.max(0.01, Math.cos((center.lat * Math.PI) / 180)));
  return { minLat: center.lat - dLat, maxLat: center.lat + dLat, minLng: center.lng - dLng, maxLng: center.lng + dLng };
}
