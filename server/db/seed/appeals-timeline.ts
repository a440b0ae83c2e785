// The pieces of an appeal's timeline the seed shares with the server's rules: tracking codes, the SLA
// policy that applies, the status history the clocks read, and the deadlines as refreshDeadlines computes them.
import { createHash } from 'node:crypto';
import { type SlaPolicy, type TimedStatus, defaultSlaPolicy, timedDueAtOf, timedSlaClock } from '../../modules/appeals/appeals.rules.js';
import type { Selectable } from 'kysely';
import type { AppealCategory, AppealEventsTable, AppealLevel, AppealStatus } from '../tables-appeals.js';
import type { Random } from './random.js';

export const HOUR = 3_600_000;
export const iso = (ms: number) => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A tracking code of the shape the server hands out ("A7K3-QF9X"), drawn from a seeded stream. */
export function trackingCodeOf(rng: Random): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += (i === 4 ? '-' : '') + rng.pick([...CODE_ALPHABET]);
  return code;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

export type SlaPolicyRow = SlaPolicy & { unitId: number | null; category: AppealCategory | null };

/**
 * The policy that applies, as the server picks it: the deepest unit on the path with a row for this
 * category, else for every category; then the system-wide rows; then the built-in default.
 */
export function policyFor(rows: readonly SlaPolicyRow[], unitPath: string, category: AppealCategory): SlaPolicy {
  const ids = unitPath.split('/').filter(Boolean).map(Number);
  const depthOf = (unitId: number | null) => (unitId === null ? -1 : ids.indexOf(unitId));
  const best = rows
    .filter((r) => (r.unitId === null || ids.includes(r.unitId)) && (r.category === null || r.category === category))
    .sort((a, b) => depthOf(b.unitId) - depthOf(a.unitId) || (b.category ? 1 : 0) - (a.category ? 1 : 0))[0];
  return best ? { acknowledgeHours: best.acknowledgeHours, updateHours: best.updateHours, resolveHours: best.resolveHours } : defaultSlaPolicy;
}

/** An event row as the story tells it, before its appeal id, breach key and time are final. */
export type EventDraft = Pick<Selectable<AppealEventsTable>, 'kind' | 'fromStatus' | 'toStatus' | 'visibility' | 'body' | 'unitId' | 'level' | 'actorUserId'> & {
  /** The missed deadline a scheduler event answers (its breach key is built once times are final). */
  breach: { level: AppealLevel; clock: 'acknowledge' | 'update' | 'resolve'; deadline: number } | null;
  /** The scheduler's confirmation, keyed "auto-confirm:<answeredAt>". */
  autoConfirm?: true;
  at: number;
};

/** What the SLA clocks read, as the server derives it: status changes, and the holding unit's public replies at the status of the day. */
export function historyOf(events: readonly Pick<EventDraft, 'kind' | 'toStatus' | 'visibility' | 'unitId' | 'at'>[], statusBefore?: AppealStatus): TimedStatus[] {
  const history: TimedStatus[] = [];
  for (const e of events) {
    if (e.toStatus !== null) history.push({ status: e.toStatus, at: e.at });
    else if (e.kind === 'reply' && e.visibility === 'public' && e.unitId !== null) history.push({ status: history[history.length - 1]?.status ?? statusBefore ?? 'submitted', at: e.at });
  }
  return history;
}

/**
 * The deadlines as the server's refreshDeadlines computes them, in epoch milliseconds (the row
 * stores them as ISO text): a reply before the current level got the appeal does not count.
 */
export function deadlinesOf(input: { history: readonly TimedStatus[]; receivedAt: number; lastPublicReplyAt: number | null; policy: SlaPolicy; now: number }) {
  const lastPublicReplyAt = input.lastPublicReplyAt !== null && input.lastPublicReplyAt >= input.receivedAt ? input.lastPublicReplyAt : null;
  const clock = timedSlaClock({ ...input, lastPublicReplyAt });
  return { acknowledgeBy: clock.acknowledgeBy, nextUpdateBy: clock.nextUpdateBy, resolveBy: clock.resolveBy, dueAt: timedDueAtOf(clock), paused: clock.paused };
}
export type Deadlines = ReturnType<typeof deadlinesOf>;
