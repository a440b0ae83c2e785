// An appeal moves only along the transitions below, and its SLA clocks stop while it waits on the worker.
// Deadlines run from when the current level received the appeal: first response, then updates, then resolution.

import type { AppealLevel, AppealStatus } from '../../db/tables-appeals.js';

export type { AppealLevel, AppealStatus };

const working: AppealStatus[] = ['in_progress', 'waiting_on_worker', 'resolved', 'partly_resolved', 'referred', 'rejected', 'merged'];

export const transitions: Record<AppealStatus, readonly AppealStatus[]> = {
  submitted: ['acknowledged', 'referred', 'rejected', 'merged'],
  acknowledged: working,
  in_progress: working.filter((s) => s !== 'in_progress'),
  waiting_on_worker: ['in_progress', 'resolved', 'partly_resolved', 'rejected', 'merged'],
  resolved: ['confirmed', 'reopened'],
  partly_resolved: ['confirmed', 'reopened'],
  reopened: ['acknowledged', 'in_progress', 'resolved', 'partly_resolved', 'referred', 'rejected', 'merged'],
  // A referral names who outside Convoy is responsible; Convoy keeps tracking it until it is answered.
  referred: ['in_progress', 'resolved', 'partly_resolved'],
  confirmed: [],
  rejected: [],
  merged: [],
};

export const closedStatuses: ReadonlySet<AppealStatus> = new Set(['confirmed', 'rejected', 'merged']);
export const answeredStatuses: ReadonlySet<AppealStatus> = new Set(['resolved', 'partly_resolved']);

export function canTransition(from: AppealStatus, to: AppealStatus): boolean {
  return transitions[from].includes(to);
}

/** The levels an appeal climbs, one at a time, when a deadline is missed or a unit escalates by hand. */
export const levels: readonly AppealLevel[] = ['branch', 'platform_committee', 'industry_committee'];

export function nextLevel(level: AppealLevel): AppealLevel | null {
  return levels[levels.indexOf(level) + 1] ?? null;
}

export type SlaPolicy = { acknowledgeHours: number; updateHours: number; resolveHours: number };

/** Acknowledge within 24 h and resolve within 72 h, with a public update at least every 24 h. */
export const defaultSlaPolicy: SlaPolicy = { acknowledgeHours: 24, updateHours: 24, resolveHours: 72 };

export type StatusChange = { status: AppealStatus; at: string };
/** A status change with its instant in epoch milliseconds: what the clocks compute with. */
export type TimedStatus = { status: AppealStatus; at: number };

const HOUR = 3_600_000;

const timed = (history: readonly StatusChange[]): TimedStatus[] => history.map((c) => ({ status: c.status, at: Date.parse(c.at) }));

/** Milliseconds spent waiting on the worker between two instants, from the status history. */
export function pausedMs(history: readonly TimedStatus[], start: number, end: number): number {
  let paused = 0;
  for (let i = 0; i < history.length; i++) {
    const change = history[i]!;
    if (change.status !== 'waiting_on_worker') continue;
    const pauseStart = Math.max(change.at, start);
    const next = history[i + 1];
    const pauseEnd = Math.min(next ? next.at : end, end);
    if (pauseEnd > pauseStart) paused += pauseEnd - pauseStart;
  }
  return paused;
}

type Breach = 'acknowledge' | 'update' | 'resolve';

export type SlaClock = {
  acknowledgeBy: string | null;
  nextUpdateBy: string | null;
  resolveBy: string | null;
  paused: boolean;
  breached: Breach[];
};

/** The clock with its deadlines in epoch milliseconds. */
export type TimedSlaClock = {
  acknowledgeBy: number | null;
  nextUpdateBy: number | null;
  resolveBy: number | null;
  paused: boolean;
  breached: Breach[];
};

/**
 * The deadlines of the level holding the appeal, shifted by the time spent waiting on the worker.
 * `receivedAt` is when the current level got it (filing, escalation or transfer); `lastPublicReplyAt`
 * the latest reply the worker could see.
 */
export function slaClock(input: {
  history: readonly StatusChange[];
  receivedAt: string;
  lastPublicReplyAt: string | null;
  policy: SlaPolicy;
  now: string;
}): SlaClock {
  const clock = timedSlaClock({
    history: timed(input.history),
    receivedAt: Date.parse(input.receivedAt),
    lastPublicReplyAt: input.lastPublicReplyAt === null ? null : Date.parse(input.lastPublicReplyAt),
    policy: input.policy,
    now: Date.parse(input.now),
  });
  const text = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return { acknowledgeBy: text(clock.acknowledgeBy), nextUpdateBy: text(clock.nextUpdateBy), resolveBy: text(clock.resolveBy), paused: clock.paused, breached: clock.breached };
}

/**
 * slaClock on instants in epoch milliseconds. The seed asks it tens of millions of times for a
 * million appeals, where parsing and formatting the ISO text was most of the cost.
 */
export function timedSlaClock(input: {
  history: readonly TimedStatus[];
  receivedAt: number;
  lastPublicReplyAt: number | null;
  policy: SlaPolicy;
  now: number;
}): TimedSlaClock {
  const { history, receivedAt, policy, now } = input;
  const current = history[history.length - 1]?.status ?? 'submitted';
  const paused = current === 'waiting_on_worker';
  if (closedStatuses.has(current) || answeredStatuses.has(current)) {
    return { acknowledgeBy: null, nextUpdateBy: null, resolveBy: null, paused: false, breached: [] };
  }
  const shift = pausedMs(history, receivedAt, now);
  const at = (base: number, hours: number) => base + hours * HOUR + shift;
  const acknowledgedSince = history.find((c) => c.status !== 'submitted' && c.at >= receivedAt);
  const acknowledgeBy = acknowledgedSince ? null : at(receivedAt, policy.acknowledgeHours);
  const resolveBy = at(receivedAt, policy.resolveHours);
  const nextUpdateBy = acknowledgedSince ? at(input.lastPublicReplyAt ?? acknowledgedSince.at, policy.updateHours) : null;
  const breached: Breach[] = [];
  if (!paused) {
    if (acknowledgeBy !== null && acknowledgeBy < now) breached.push('acknowledge');
    if (nextUpdateBy !== null && nextUpdateBy < now) breached.push('update');
    if (resolveBy < now) breached.push('resolve');
  }
  return { acknowledgeBy, nextUpdateBy, resolveBy, paused, breached };
}

export const CONFIRMATION_WINDOW_DAYS = 7;

/** An answered appeal the worker neither confirmed nor reopened within 7 days counts as confirmed. */
export function isDueForAutoConfirm(status: AppealStatus, answeredAt: string, now: string): boolean {
  return answeredStatuses.has(status) && Date.parse(now) - Date.parse(answeredAt) >= CONFIRMATION_WINDOW_DAYS * 24 * HOUR;
}

/** The earliest deadline still running: what the inbox sorts by and the scheduler watches. Null while paused or answered. */
export function dueAtOf(clock: SlaClock): string | null {
  if (clock.paused) return null;
  const running = [clock.acknowledgeBy, clock.nextUpdateBy, clock.resolveBy].filter((d): d is string => d !== null);
  return running.length === 0 ? null : running.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
}

/** dueAtOf for a TimedSlaClock. */
export function timedDueAtOf(clock: TimedSlaClock): number | null {
  if (clock.paused) return null;
  let due: number | null = null;
  for (const d of [clock.acknowledgeBy, clock.nextUpdateBy, clock.resolveBy]) if (d !== null && (due === null || d < due)) due = d;
  return due;
}
