// Opening hours as the server keeps them (weekly ranges, dated exceptions, China time), read the same
// way on the page: a range that closes at or before it opens runs past midnight into the next day.
import { chinaToday } from '../../lib/format';
import type { OpeningHours } from './api';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type TimeRange = { opens: string; closes: string };
export type HoursException = OpeningHours['exceptions'][number];

/** A new station's hours: every day 08:00–20:00, no exceptions. */
export function defaultHours(): OpeningHours {
  const day = (): TimeRange[] => [{ opens: '08:00', closes: '20:00' }];
  return { weekly: { mon: day(), tue: day(), wed: day(), thu: day(), fri: day(), sat: day(), sun: day() }, exceptions: [] };
}

export const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** 22:00–06:00 ends the next morning; 00:00–24:00 is a whole day, not overnight. */
export function isOvernight(range: TimeRange): boolean {
  return minutesOf(range.closes) <= minutesOf(range.opens);
}

/** The weekday of a YYYY-MM-DD date (the date itself, no time zone involved). */
export function weekdayOfDate(date: string): Weekday {
  const index = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  return WEEKDAYS[index] as Weekday;
}

const spanDays = (e: HoursException) => (Date.parse(`${e.to}T00:00:00Z`) - Date.parse(`${e.from}T00:00:00Z`)) / 86_400_000;

/**
 * The ranges that start on a date, chosen as the server chooses them: the covering exception with the
 * shortest span (on a tie the later one listed), else that weekday's ranges.
 */
export function rangesOn(hours: OpeningHours, date: string): { ranges: readonly TimeRange[]; exception: HoursException | null } {
  let chosen: HoursException | null = null;
  for (const exception of hours.exceptions) {
    if (exception.from > date || exception.to < date) continue;
    if (chosen === null || spanDays(exception) <= spanDays(chosen)) chosen = exception;
  }
  return chosen ? { ranges: chosen.ranges, exception: chosen } : { ranges: hours.weekly[weekdayOfDate(date)], exception: null };
}

/** Today's ranges in China, wherever the phone thinks it is. */
export function rangesToday(hours: OpeningHours, now = new Date()) {
  return rangesOn(hours, chinaToday(now));
}

export type HoursProblem = { where: 'weekly'; day: Weekday; index: number } | { where: 'exception'; index: number; field: 'dates' | 'range' };

/** What the server would refuse, found before sending: equal open and close times, 24:00 as an opening, dates reversed. */
export function problemsOf(hours: OpeningHours): HoursProblem[] {
  const bad = (r: TimeRange) => r.opens === r.closes || r.opens === '24:00';
  const problems: HoursProblem[] = [];
  for (const day of WEEKDAYS) hours.weekly[day].forEach((range, index) => bad(range) && problems.push({ where: 'weekly', day, index }));
  hours.exceptions.forEach((e, index) => {
    if (!e.from || !e.to || e.from > e.to) problems.push({ where: 'exception', index, field: 'dates' });
    if (e.ranges.some(bad)) problems.push({ where: 'exception', index, field: 'range' });
  });
  return problems;
}
