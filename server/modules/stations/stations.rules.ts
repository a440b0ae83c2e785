// A station is open when China's wall clock falls in a range of that day's hours (a dated exception
// replaces the weekly hours), or in last night's range that runs past midnight; distances are great-circle.
import type { OpeningHours, StationStatusCode, TimeRange } from './stations.schema.js';

// China keeps one zone, Asia/Shanghai, at UTC+8 without daylight saving since 1991 (tzdb's only DST
// there was 1986–1991). A fixed offset is therefore exact for any date Convoy stores, costs nothing per
// evaluation (the nearby filter runs it for thousands of stations), and gives the same answer whatever
// the server's own time zone or ICU data; the rules test checks it against Intl for Asia/Shanghai.
const CHINA_OFFSET_MS = 8 * 3_600_000;
const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
const DAY_MS = DAY_MINUTES * MINUTE_MS;
/** How far ahead "next change" looks: long enough to see past a month-long temporary closure. */
export const HORIZON_DAYS = 35;

const weekdayKeys = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export type LocalMoment = {
  /** Days since 1970-01-01 in China. */
  day: number;
  date: string;
  /** Milliseconds since China's midnight of that day. */
  msOfDay: number;
};

export function chinaMoment(at: Date): LocalMoment {
  const local = at.getTime() + CHINA_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  return { day, date: dateOfDay(day), msOfDay: local - day * DAY_MS };
}

// The same without the date text: the nearby filter asks this for thousands of stations per search.
function chinaDayAndMinute(at: Date): { day: number; minute: number } {
  const local = at.getTime() + CHINA_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  return { day, minute: (local - day * DAY_MS) / MINUTE_MS };
}

export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function dayOfDate(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** 1970-01-01 was a Thursday. */
function weekdayOf(day: number): (typeof weekdayKeys)[number] {
  return weekdayKeys[(((day + 3) % 7) + 7) % 7] as (typeof weekdayKeys)[number];
}

export function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** Start and end of a range in minutes from its own day's midnight; past-midnight ranges end after 1440. */
function spanOf(range: TimeRange): [number, number] {
  const opens = minutesOf(range.opens);
  const closes = minutesOf(range.closes);
  return [opens, closes > opens ? closes : closes + DAY_MINUTES];
}

/**
 * The ranges that start on a date: the exception covering it if any (the shortest span wins, so a
 * single holiday inside a month of special hours still counts; equal spans: the later one listed), else
 * that weekday's ranges. A range running past midnight belongs to the day it starts on: a holiday on
 * Saturday does not cut short Friday's night shift, and a closed Friday leaves no Saturday-morning spill.
 */
export function rangesOn(hours: OpeningHours, day: number): readonly TimeRange[] {
  if (hours.exceptions.length === 0) return hours.weekly[weekdayOf(day)];
  const date = dateOfDay(day);
  let chosen: { length: number; ranges: readonly TimeRange[] } | null = null;
  for (const exception of hours.exceptions) {
    if (exception.from > date || exception.to < date) continue;
    const length = dayOfDate(exception.to) - dayOfDate(exception.from);
    if (chosen === null || length <= chosen.length) chosen = { length, ranges: exception.ranges };
  }
  return chosen ? chosen.ranges : hours.weekly[weekdayOf(day)];
}

/** Whether the hours say open at an instant (status aside). Looks at today and last night only. */
export function isOpenAt(hours: OpeningHours, at: Date): boolean {
  const { day, minute } = chinaDayAndMinute(at);
  for (const range of rangesOn(hours, day)) {
    const [start, end] = spanOf(range);
    if (minute >= start && minute < end) return true;
  }
  for (const range of rangesOn(hours, day - 1)) {
    const [start, end] = spanOf(range);
    if (end > DAY_MINUTES && minute < end - DAY_MINUTES && minute + DAY_MINUTES >= start) return true;
  }
  return false;
}

/** Open intervals in ms since the epoch (UTC), merged where they touch, from the day before `fromDay`. */
export function openIntervals(hours: OpeningHours, fromDay: number, days: number): [number, number][] {
  const raw: [number, number][] = [];
  for (let day = fromDay - 1; day < fromDay + days; day++) {
    const midnight = day * DAY_MS - CHINA_OFFSET_MS;
    for (const range of rangesOn(hours, day)) {
      const [start, end] = spanOf(range);
      raw.push([midnight + start * MINUTE_MS, midnight + end * MINUTE_MS]);
    }
  }
  raw.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const interval of raw) {
    const last = merged[merged.length - 1];
    if (last && interval[0] <= last[1]) last[1] = Math.max(last[1], interval[1]);
    else merged.push([interval[0], interval[1]]);
  }
  return merged;
}

export type OpenState = {
  openNow: boolean;
  /** When it next opens (if closed) or closes (if open), as UTC ISO; null when nothing changes within the horizon. */
  nextChange: string | null;
};

/** Open now and the next change, over HORIZON_DAYS. A station that is not active is never open. */
export function openState(hours: OpeningHours, status: StationStatusCode, at: Date): OpenState {
  if (status !== 'active') return { openNow: false, nextChange: null };
  const now = at.getTime();
  const { day } = chinaDayAndMinute(at);
  const intervals = openIntervals(hours, day, HORIZON_DAYS);
  const horizonEnd = (day + HORIZON_DAYS) * DAY_MS - CHINA_OFFSET_MS;
  for (const [start, end] of intervals) {
    if (end <= now) continue;
    if (start <= now) return { openNow: true, nextChange: end >= horizonEnd ? null : new Date(end).toISOString() };
    return { openNow: false, nextChange: new Date(start).toISOString() };
  }
  return { openNow: false, nextChange: null };
}

/**
 * The open state at an instant and the instant it holds until: its next change, or China's next midnight
 * (where the five-week horizon moves on and may bring a change into view), whichever comes first. Caches
 * of open states (the nearby answers, the map layer) stay exact by recomputing only past `until`.
 */
export function openStateSpan(hours: OpeningHours, status: StationStatusCode, at: Date): { state: OpenState; until: number } {
  const state = openState(hours, status, at);
  // A station that is not active stays closed, with no next change, until it is edited.
  if (status !== 'active') return { state, until: Infinity };
  const { day } = chinaDayAndMinute(at);
  const nextMidnight = (day + 1) * DAY_MS - CHINA_OFFSET_MS;
  return { state, until: state.nextChange === null ? nextMidnight : Math.min(nextMidnight, Date.parse(state.nextChange)) };
}

// Great-circle distance by the haversine formula on a sphere of the mean Earth radius (6,371 km). The
// terms are computed exactly as geokdbush computes them, so the index's order and this function agree
// to the last bit and a brute-force scan with it gives the same answers.
const EARTH_RADIUS_KM = 6371;
const RAD = Math.PI / 180;

function haverSin(theta: number): number {
  const s = Math.sin(theta / 2);
  return s * s;
}

/** Kilometres between a query point (lat1, lng1) and a point (lat2, lng2). */
export function distanceKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const h = Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * haverSin((lng1 - lng2) * RAD) + haverSin((lat1 - lat2) * RAD);
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
}

/** "YYYY-MM" of a China date. */
export const monthOf = (date: string) => date.slice(0, 7);
