import { describe, expect, it } from 'vitest';
import { formatDistance, servicesFromParam } from './format';
import { defaultHours, isOvernight, problemsOf, rangesOn, rangesToday, weekdayOfDate } from './hours';

describe('station hours on the page', () => {
  it('knows the weekday of a date and which ranges run past midnight', () => {
    expect(weekdayOfDate('2026-12-05')).toBe('sat');
    expect(weekdayOfDate('2026-12-07')).toBe('mon');
    expect(isOvernight({ opens: '22:00', closes: '06:00' })).toBe(true);
    expect(isOvernight({ opens: '17:00', closes: '00:00' })).toBe(true);
    expect(isOvernight({ opens: '00:00', closes: '24:00' })).toBe(false);
    expect(isOvernight({ opens: '08:00', closes: '20:00' })).toBe(false);
  });

  it('takes the shortest covering exception over the week, as the server does', () => {
    const hours = defaultHours();
    hours.exceptions = [
      { from: '2026-12-01', to: '2026-12-31', ranges: [{ opens: '10:00', closes: '16:00' }], note: '冬季' },
      { from: '2026-12-25', to: '2026-12-25', ranges: [], note: '临时闭站' },
    ];
    expect(rangesOn(hours, '2026-11-30').ranges).toEqual([{ opens: '08:00', closes: '20:00' }]);
    expect(rangesOn(hours, '2026-12-24').exception?.note).toBe('冬季');
    expect(rangesOn(hours, '2026-12-25')).toEqual({ ranges: [], exception: hours.exceptions[1] });
  });

  it('reads today in China time: 17:00 UTC on the 4th is already the 5th in Chengdu', () => {
    const hours = defaultHours();
    hours.exceptions = [{ from: '2026-12-05', to: '2026-12-05', ranges: [] }];
    expect(rangesToday(hours, new Date('2026-12-04T17:00:00Z')).ranges).toEqual([]);
    expect(rangesToday(hours, new Date('2026-12-04T15:00:00Z')).ranges).toHaveLength(1);
  });

  it('finds what the server would refuse before it is sent', () => {
    const hours = defaultHours();
    hours.weekly.tue = [{ opens: '09:00', closes: '09:00' }];
    hours.exceptions = [{ from: '2026-12-09', to: '2026-12-08', ranges: [{ opens: '24:00', closes: '06:00' }] }];
    expect(problemsOf(hours)).toEqual([
      { where: 'weekly', day: 'tue', index: 0 },
      { where: 'exception', index: 0, field: 'dates' },
      { where: 'exception', index: 0, field: 'range' },
    ]);
    expect(problemsOf(defaultHours())).toEqual([]);
  });
});

describe('distances and filters', () => {
  it('says metres under a kilometre, one decimal under ten, whole kilometres beyond', () => {
    expect(formatDistance(42.4, 'zh-CN')).toBe('42 米');
    expect(formatDistance(999, 'en')).toBe('999 m');
    expect(formatDistance(1000, 'zh-CN')).toBe('1.0 公里');
    expect(formatDistance(1249, 'en')).toBe('1.2 km');
    expect(formatDistance(12_600, 'zh-CN')).toBe('13 公里');
  });

  it('keeps only known services from the address, in the server’s order', () => {
    expect(servicesFromParam('toilet,ev_charging,nonsense')).toEqual(['ev_charging', 'toilet']);
    expect(servicesFromParam(null)).toEqual([]);
  });
});
