import { describe, expect, it } from 'vitest';
import {
  type ActivityShape,
  type Audience,
  checkActivity,
  checkInRefusal,
  chinaMonthRange,
  distanceKm,
  divisionCovers,
  inAudience,
  outcomeOf,
  placeFor,
  seatsToFill,
  signupRefusal,
} from './activities.rules.js';

const base: ActivityShape = {
  kind: 'health_check',
  audience: 'platform_city',
  startsAt: '2026-12-01T01:30:00.000Z',
  endsAt: '2026-12-01T04:00:00.000Z',
  capacity: 30,
  signupOpensAt: null,
  signupClosesAt: null,
  stationId: null,
  address: '成都市武侯区 司机之家',
  lat: null,
  lng: null,
};
const timed = { ...base, status: 'scheduled' as const };
const at = (iso: string) => new Date(iso);

describe('what makes an activity well-formed', () => {
  it('allows members-only for branch meetings and nothing else, and says why', () => {
    expect(checkActivity({ ...base, kind: 'branch_meeting', audience: 'members_only' })).toBeNull();
    for (const kind of ['health_check', 'training', 'themed_day', 'film_screening', 'volunteer_service', 'care_visit'] as const) {
      const problem = checkActivity({ ...base, kind, audience: 'members_only' });
      expect(problem?.field).toBe('audience');
      expect(problem?.message.en).toContain('never conditional on membership');
    }
  });

  it('needs an end after the start, a place, paired coordinates and a sign-up window inside the activity', () => {
    expect(checkActivity({ ...base, endsAt: base.startsAt })?.field).toBe('endsAt');
    expect(checkActivity({ ...base, address: null })?.field).toBe('address');
    expect(checkActivity({ ...base, address: null, stationId: 7 })).toBeNull();
    expect(checkActivity({ ...base, lat: 30.6 })?.field).toBe('lng');
    expect(checkActivity({ ...base, capacity: 0 })?.field).toBe('capacity');
    expect(checkActivity({ ...base, signupOpensAt: '2026-12-01T02:00:00.000Z' })?.field).toBe('signupOpensAt');
    expect(checkActivity({ ...base, signupClosesAt: '2026-12-01T05:00:00.000Z' })?.field).toBe('signupClosesAt');
  });
});

describe('the clock of taking part', () => {
  it('opens sign-up when set and closes it at the start by default', () => {
    expect(signupRefusal(timed, at('2026-11-25T00:00:00Z'))).toBeNull();
    expect(signupRefusal({ ...timed, signupOpensAt: '2026-11-26T00:00:00.000Z' }, at('2026-11-25T00:00:00Z'))?.en).toContain('not opened');
    expect(signupRefusal(timed, at('2026-12-01T01:30:00Z'))?.en).toContain('closed');
    expect(signupRefusal({ ...timed, status: 'cancelled' }, at('2026-11-25T00:00:00Z'))?.en).toContain('cancelled');
  });

  it('takes check-ins from 2 hours before the start until the end', () => {
    expect(checkInRefusal(timed, at('2026-11-30T23:29:59Z'))?.en).toContain('2 hours');
    expect(checkInRefusal(timed, at('2026-11-30T23:30:00Z'))).toBeNull();
    expect(checkInRefusal(timed, at('2026-12-01T04:00:00Z'))).toBeNull();
    expect(checkInRefusal(timed, at('2026-12-01T04:00:01Z'))?.en).toContain('ended');
  });

  it('seats people while capacity lasts and moves the waitlist up only while the activity is ahead', () => {
    expect(placeFor(2, 1)).toBe('confirmed');
    expect(placeFor(2, 2)).toBe('waitlisted');
    expect(placeFor(null, 10_000)).toBe('confirmed');
    expect(seatsToFill({ ...timed, capacity: 3 }, 1, 5, at('2026-11-30T00:00:00Z'))).toBe(2);
    expect(seatsToFill({ ...timed, capacity: 3 }, 1, 1, at('2026-11-30T00:00:00Z'))).toBe(1);
    expect(seatsToFill({ ...timed, capacity: null }, 40, 4, at('2026-11-30T00:00:00Z'))).toBe(4);
    expect(seatsToFill({ ...timed, capacity: 3 }, 1, 5, at('2026-12-01T05:00:00Z'))).toBe(0);
    expect(seatsToFill({ ...timed, capacity: 3, status: 'cancelled' }, 1, 5, at('2026-11-30T00:00:00Z'))).toBe(0);
  });

  it('counts a confirmed place without a check-in as a no-show only once the activity is over', () => {
    const place = { status: 'confirmed' as const, checkedInAt: null };
    expect(outcomeOf(place, timed, at('2026-12-01T03:00:00Z'))).toBe('expected');
    expect(outcomeOf(place, timed, at('2026-12-01T04:00:01Z'))).toBe('no_show');
    expect(outcomeOf({ status: 'walk_in', checkedInAt: '2026-12-01T02:00:00.000Z' }, timed, at('2026-12-02T00:00:00Z'))).toBe('attended');
    expect(outcomeOf({ status: 'waitlisted', checkedInAt: null }, timed, at('2026-12-02T00:00:00Z'))).toBe('waitlisted');
    expect(outcomeOf(place, { ...timed, status: 'cancelled' }, at('2026-12-02T00:00:00Z'))).toBe('cancelled');
  });
});

describe('audiences', () => {
  const unitPath = '/1/7/42/';
  const platformCity: Audience = { audience: 'platform_city', audiencePlatformId: 3, audienceCityCode: '510100', unitPath };
  const chengduDriver = { kind: 'worker' as const, platformId: 3, cityCode: '510100', unitPath: '/1/7/99/' };

  it('admits workers of the platform and city, wider when either is left open', () => {
    expect(inAudience(platformCity, chengduDriver)).toBe(true);
    expect(inAudience(platformCity, { ...chengduDriver, platformId: 4 })).toBe(false);
    expect(inAudience(platformCity, { ...chengduDriver, cityCode: '440300' })).toBe(false);
    expect(inAudience({ ...platformCity, audiencePlatformId: null }, { ...chengduDriver, platformId: 4 })).toBe(true);
    expect(inAudience({ ...platformCity, audienceCityCode: '510000' }, { ...chengduDriver, cityCode: '510500' })).toBe(true);
    expect(inAudience({ ...platformCity, audienceCityCode: null }, { ...chengduDriver, cityCode: '440300', unitPath: null })).toBe(true);
  });

  it('admits workers the organizing subtree serves for branch audiences, and members only to members-only meetings', () => {
    const branch: Audience = { ...platformCity, audience: 'branch' };
    expect(inAudience(branch, { ...chengduDriver, unitPath: '/1/7/42/43/' })).toBe(true);
    expect(inAudience(branch, chengduDriver)).toBe(false);
    expect(inAudience(branch, { ...chengduDriver, unitPath: null })).toBe(false);
    const meeting: Audience = { ...platformCity, audience: 'members_only' };
    expect(inAudience(meeting, chengduDriver)).toBe(false);
    expect(inAudience(meeting, { kind: 'member', unitPath: '/1/7/42/43/' })).toBe(true);
    expect(inAudience(meeting, { kind: 'member', unitPath: '/1/7/98/' })).toBe(false);
    // A member's record never opens an open activity: open audiences are about workers.
    expect(inAudience(platformCity, { kind: 'member', unitPath })).toBe(false);
  });

  it('reads division codes as nested places', () => {
    expect(divisionCovers('510000', '510104')).toBe(true);
    expect(divisionCovers('510100', '510104')).toBe(true);
    expect(divisionCovers('510104', '510104')).toBe(true);
    expect(divisionCovers('510500', '510104')).toBe(false);
  });
});

describe('calendar helpers', () => {
  it('spans a month in China time', () => {
    expect(chinaMonthRange('2026-11')).toEqual({ from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' });
    expect(chinaMonthRange('2026-12')).toEqual({ from: '2026-11-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
  });

  it('measures distance well enough to say what is near', () => {
    // Tianfu Square to Chengdu East station: about 8 km.
    const km = distanceKm({ lat: 30.6574, lng: 104.0659 }, { lat: 30.6297, lng: 104.1416 });
    expect(km).toBeGreaterThan(7);
    expect(km).toBeLessThan(9);
  });
});
