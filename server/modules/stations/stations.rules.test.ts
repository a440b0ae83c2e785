import { describe, expect, it } from 'vitest';
import { chinaMoment, distanceKm, isOpenAt, openState, openStateSpan, rangesOn } from './stations.rules.js';
import type { OpeningHours, TimeRange, WeeklyHours } from './stations.schema.js';

const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const every = (...ranges: TimeRange[]): WeeklyHours => Object.fromEntries(days.map((d) => [d, ranges])) as WeeklyHours;
const none = (): WeeklyHours => every();
const r = (opens: string, closes: string): TimeRange => ({ opens, closes });
/** An instant given as China wall-clock time ("2026-11-27 22:00" is 14:00 UTC). */
const cn = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);
const iso = (local: string) => cn(local).toISOString();

// 2026-11-27 is a Friday, 2026-11-28 a Saturday, 2026-11-30 a Monday.
describe('opening hours in China time', () => {
  it('is open from the opening minute up to, not including, the closing minute', () => {
    const hours: OpeningHours = { weekly: { ...none(), mon: [r('08:00', '20:00')] }, exceptions: [] };
    expect(isOpenAt(hours, cn('2026-11-30 07:59'))).toBe(false);
    expect(isOpenAt(hours, cn('2026-11-30 08:00'))).toBe(true);
    expect(isOpenAt(hours, cn('2026-11-30 19:59'))).toBe(true);
    expect(isOpenAt(hours, cn('2026-11-30 20:00'))).toBe(false);
    // Sunday and Tuesday have no hours.
    expect(isOpenAt(hours, cn('2026-11-29 12:00'))).toBe(false);
    expect(isOpenAt(hours, cn('2026-12-01 12:00'))).toBe(false);
  });

  it('reads the weekday and hour in UTC+8, not in UTC or the server’s zone', () => {
    const hours: OpeningHours = { weekly: { ...none(), fri: [r('06:00', '09:00')] }, exceptions: [] };
    // 23:30 UTC on Thursday is 07:30 on Friday in Shanghai.
    const at = new Date('2026-11-26T23:30:00Z');
    expect(chinaMoment(at).date).toBe('2026-11-27');
    expect(isOpenAt(hours, at)).toBe(true);
    expect(openState(hours, 'active', at)).toEqual({ openNow: true, nextChange: '2026-11-27T01:00:00.000Z' });
    // 07:30 UTC on Friday is 15:30 in Shanghai: closed, next open the Friday after at 06:00 China time.
    expect(openState(hours, 'active', new Date('2026-11-27T07:30:00Z'))).toEqual({ openNow: false, nextChange: iso('2026-12-04 06:00') });
  });

  it('agrees with Intl’s Asia/Shanghai calendar for instants from 1992 to 2060', () => {
    const format = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 2000; i++) {
      const at = new Date(Date.UTC(1992, 0, 1) + Math.floor(next() * 68 * 365.25 * 86_400_000));
      const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
      const moment = chinaMoment(at);
      expect(moment.date).toBe(`${parts.year}-${parts.month}-${parts.day}`);
      expect(Math.floor(moment.msOfDay / 60_000)).toBe(Number(parts.hour) * 60 + Number(parts.minute));
    }
  });

  it('keeps an overnight range open past midnight into the next day', () => {
    const hours: OpeningHours = { weekly: { ...none(), fri: [r('22:00', '06:00')] }, exceptions: [] };
    expect(isOpenAt(hours, cn('2026-11-27 21:59'))).toBe(false);
    expect(isOpenAt(hours, cn('2026-11-27 22:00'))).toBe(true);
    expect(isOpenAt(hours, cn('2026-11-28 02:00'))).toBe(true);
    expect(isOpenAt(hours, cn('2026-11-28 05:59'))).toBe(true);
    expect(isOpenAt(hours, cn('2026-11-28 06:00'))).toBe(false);
    // Thursday night has no range, so Friday morning is closed.
    expect(isOpenAt(hours, cn('2026-11-27 02:00'))).toBe(false);
    expect(openState(hours, 'active', cn('2026-11-27 21:00'))).toEqual({ openNow: false, nextChange: iso('2026-11-27 22:00') });
    expect(openState(hours, 'active', cn('2026-11-28 02:00'))).toEqual({ openNow: true, nextChange: iso('2026-11-28 06:00') });
  });

  it('treats a range closing at 00:00 as closing at midnight, and 00:00–24:00 as the whole day', () => {
    const evening: OpeningHours = { weekly: every(r('18:00', '00:00')), exceptions: [] };
    expect(isOpenAt(evening, cn('2026-11-27 23:59'))).toBe(true);
    expect(isOpenAt(evening, cn('2026-11-28 00:00'))).toBe(false);
    const allDay: OpeningHours = { weekly: every(r('00:00', '24:00')), exceptions: [] };
    expect(openState(allDay, 'active', cn('2026-11-27 03:00'))).toEqual({ openNow: true, nextChange: null });
  });

  it('lets a holiday close the day but not cut short the night shift that began the evening before', () => {
    const hours: OpeningHours = { weekly: every(r('22:00', '06:00')), exceptions: [{ from: '2026-11-28', to: '2026-11-28', ranges: [], note: '节假日' }] };
    expect(isOpenAt(hours, cn('2026-11-28 02:00'))).toBe(true);
    expect(isOpenAt(hours, cn('2026-11-28 22:30'))).toBe(false);
    expect(isOpenAt(hours, cn('2026-11-29 02:00'))).toBe(false);
    expect(isOpenAt(hours, cn('2026-11-29 22:30'))).toBe(true);
    expect(openState(hours, 'active', cn('2026-11-28 03:00'))).toEqual({ openNow: true, nextChange: iso('2026-11-28 06:00') });
    expect(openState(hours, 'active', cn('2026-11-28 12:00'))).toEqual({ openNow: false, nextChange: iso('2026-11-29 22:00') });
  });

  it('uses special hours on exception days, the shortest matching exception winning', () => {
    const hours: OpeningHours = {
      weekly: every(r('08:00', '20:00')),
      exceptions: [
        { from: '2026-10-01', to: '2026-10-07', ranges: [r('10:00', '16:00')], note: '国庆' },
        { from: '2026-10-03', to: '2026-10-03', ranges: [] },
      ],
    };
    expect(isOpenAt(hours, cn('2026-10-02 09:00'))).toBe(false);
    expect(isOpenAt(hours, cn('2026-10-02 11:00'))).toBe(true);
    expect(isOpenAt(hours, cn('2026-10-03 11:00'))).toBe(false);
    expect(isOpenAt(hours, cn('2026-10-08 09:00'))).toBe(true);
    expect(openState(hours, 'active', cn('2026-10-02 17:00'))).toEqual({ openNow: false, nextChange: iso('2026-10-04 10:00') });
  });

  it('finds the reopening after a temporary closure weeks long', () => {
    const hours: OpeningHours = { weekly: every(r('00:00', '24:00')), exceptions: [{ from: '2026-11-20', to: '2026-12-15', ranges: [], note: '设备检修' }] };
    expect(openState(hours, 'active', cn('2026-11-27 12:00'))).toEqual({ openNow: false, nextChange: iso('2026-12-16 00:00') });
    expect(openState(hours, 'active', cn('2026-11-19 12:00'))).toEqual({ openNow: true, nextChange: iso('2026-11-20 00:00') });
  });

  it('merges ranges that touch, so the next change is the real closing time', () => {
    const hours: OpeningHours = { weekly: { ...none(), fri: [r('00:00', '24:00')], sat: [r('00:00', '12:00'), r('12:00', '13:00')] }, exceptions: [] };
    expect(openState(hours, 'active', cn('2026-11-27 10:00'))).toEqual({ openNow: true, nextChange: iso('2026-11-28 13:00') });
  });

  it('handles split days: a lunch shift and an evening shift into the night', () => {
    const hours: OpeningHours = { weekly: every(r('10:00', '14:00'), r('17:00', '02:00')), exceptions: [] };
    expect(openState(hours, 'active', cn('2026-11-27 15:00'))).toEqual({ openNow: false, nextChange: iso('2026-11-27 17:00') });
    expect(openState(hours, 'active', cn('2026-11-28 01:00'))).toEqual({ openNow: true, nextChange: iso('2026-11-28 02:00') });
    expect(openState(hours, 'active', cn('2026-11-28 02:00'))).toEqual({ openNow: false, nextChange: iso('2026-11-28 10:00') });
  });

  it('says closed with no next change for a suspended station or one without hours', () => {
    const hours: OpeningHours = { weekly: every(r('00:00', '24:00')), exceptions: [] };
    expect(openState(hours, 'suspended', cn('2026-11-27 12:00'))).toEqual({ openNow: false, nextChange: null });
    expect(openState({ weekly: none(), exceptions: [] }, 'active', cn('2026-11-27 12:00'))).toEqual({ openNow: false, nextChange: null });
  });

  it('picks the day’s ranges from the exception, else from the weekday', () => {
    const hours: OpeningHours = { weekly: { ...none(), sat: [r('09:00', '12:00')] }, exceptions: [{ from: '2026-11-27', to: '2026-11-27', ranges: [r('13:00', '15:00')] }] };
    const day = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
    expect(rangesOn(hours, day('2026-11-27'))).toEqual([r('13:00', '15:00')]);
    expect(rangesOn(hours, day('2026-11-28'))).toEqual([r('09:00', '12:00')]);
    expect(rangesOn(hours, day('2026-11-29'))).toEqual([]);
  });

  it('says how long an open state holds: to its next change or China’s next midnight, the same answer all along', () => {
    const patterns: OpeningHours[] = [
      { weekly: every(r('08:00', '20:00')), exceptions: [] },
      { weekly: every(r('10:00', '14:00'), r('17:00', '02:00')), exceptions: [{ from: '2026-11-28', to: '2026-11-28', ranges: [] }] },
      { weekly: every(r('00:00', '24:00')), exceptions: [{ from: '2026-11-20', to: '2026-12-15', ranges: [], note: '设备检修' }] },
      { weekly: { ...none(), sat: [r('22:00', '06:00')] }, exceptions: [{ from: '2026-12-01', to: '2026-12-31', ranges: [r('09:00', '09:30')] }] },
      { weekly: every(r('00:00', '24:00')), exceptions: [] },
      { weekly: none(), exceptions: [] },
    ];
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const start = cn('2026-11-18 00:00').getTime();
    for (let i = 0; i < 600; i++) {
      const hours = patterns[i % patterns.length]!;
      const at = new Date(start + Math.floor(next() * 50 * 86_400_000));
      const { state, until } = openStateSpan(hours, 'active', at);
      expect(state).toEqual(openState(hours, 'active', at));
      expect(until).toBeGreaterThan(at.getTime());
      const midnight = cn(`${chinaMoment(at).date} 00:00`).getTime() + 86_400_000;
      expect(until).toBeLessThanOrEqual(midnight);
      for (const t of [at.getTime() + 1, until - 1, at.getTime() + Math.floor(next() * (until - at.getTime()))]) expect(openState(hours, 'active', new Date(t)), new Date(t).toISOString()).toEqual(state);
      // Ended by a real change unless by midnight.
      if (until < midnight) expect(openState(hours, 'active', new Date(until))).not.toEqual(state);
    }
    expect(openStateSpan(patterns[0]!, 'suspended', cn('2026-11-27 12:00'))).toEqual({ state: { openNow: false, nextChange: null }, until: Infinity });
  });
});

describe('great-circle distance', () => {
  it('measures a degree of latitude as 111.19 km and Beijing–Shanghai as about 1,067 km', () => {
    expect(distanceKm(0, 0, 1, 0)).toBeCloseTo(111.195, 3);
    expect(distanceKm(39.9042, 116.4074, 31.2304, 121.4737)).toBeGreaterThan(1064);
    expect(distanceKm(39.9042, 116.4074, 31.2304, 121.4737)).toBeLessThan(1070);
    expect(distanceKm(30.6598, 104.0657, 30.6598, 104.0657)).toBe(0);
  });

  it('shrinks a degree of longitude with the cosine of the latitude', () => {
    expect(distanceKm(60, 10, 60, 11) / distanceKm(0, 10, 0, 11)).toBeCloseTo(0.5, 3);
  });
});
