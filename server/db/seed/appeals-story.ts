// One appeal's life, told event by event: filing, acknowledgment, work, escalations, answers and the
// worker's verdict. Every status change goes through canTransition, and every wait is checked against
// the SLA clocks of appeals.rules.ts, so a handler acts before a deadline unless the story says the
// deadline is missed, in which case the escalation comes when the live scheduler would make it.
import {
  type SlaPolicy,
  type TimedStatus,
  CONFIRMATION_WINDOW_DAYS,
  answeredStatuses,
  canTransition,
  closedStatuses,
} from '../../modules/appeals/appeals.rules.js';
import type { AppealCategory, AppealEventKind, AppealLevel, AppealStatus } from '../tables-appeals.js';
import type { Random } from './random.js';
import { type Deadlines, type EventDraft, type SlaPolicyRow, HOUR, deadlinesOf, historyOf, policyFor } from './appeals-timeline.js';

export type StoryUnit = { id: number; path: string; name: string; level: AppealLevel };

export type StoryEnv = {
  rng: Random;
  category: AppealCategory;
  policies: readonly SlaPolicyRow[];
  /** The unit one level up from a unit, or null at the top (or where the tree has none). */
  above: (unit: StoryUnit) => StoryUnit | null;
  /** The user who acts for a unit in the demo (the demo secretary for her branch), else null. */
  handlerOf: (unit: StoryUnit) => number | null;
  /** The filer's login, when they have one (the demo driver): their own steps carry it. */
  workerUser: number | null;
  /** Who typed the appeal in, for the submitted event. */
  submittedBy: number | null;
  /** Events after this instant are not told: the story stops where "now" finds it. */
  limit: number;
  /** A progress update for the worker, posted when the update deadline comes near. */
  progressText: () => string;
};

type Step = { bump: boolean };

/**
 * The appeal being told: its timeline and the columns the server keeps beside it, updated the way
 * appeals.handling.ts and appeals.scheduler.ts update them (version, deadlines as of the last change).
 */
export class Story {
  readonly events: EventDraft[] = [];
  status: AppealStatus = 'submitted';
  unit: StoryUnit;
  receivedAt: number;
  t: number;
  stopped = false;
  acknowledgedAt: number | null = null;
  lastPublicReplyAt: number | null = null;
  answeredAt: number | null = null;
  closedAt: number | null = null;
  assignee: number | null = null;
  delayReason: string | null = null;
  referredTo: string | null = null;
  rejectReason: string | null = null;
  rating: number | null = null;
  feedback: string | null = null;
  reopenCount = 0;
  acknowledgedOnTime: number | null = null;
  resolvedOnTime: number | null = null;
  merged = false;
  /** Bumped by every change the server makes with a compare-and-set. */
  version = 1;
  changedAt: number;
  /** The deadlines as the last change left them in the row. */
  stored: Deadlines;

  constructor(
    readonly env: StoryEnv,
    readonly origin: StoryUnit,
    start: number,
  ) {
    this.unit = origin;
    this.receivedAt = start;
    this.t = start;
    this.changedAt = start;
    this.push({ kind: 'submitted', toStatus: 'submitted', visibility: 'public', actorUserId: env.submittedBy, unitId: origin.id, level: origin.level }, start, { bump: false });
    this.stored = this.deadlinesAt(start);
  }

  get rng(): Random {
    return this.env.rng;
  }

  get level(): AppealLevel {
    return this.unit.level;
  }

  get policy(): SlaPolicy {
    if (this.policyMemo?.unitId !== this.unit.id) this.policyMemo = { unitId: this.unit.id, policy: policyFor(this.env.policies, this.unit.path, this.env.category) };
    return this.policyMemo.policy;
  }

  // A story asks for its deadlines many times between two events (every wait checks them), and a
  // million-appeal world asks tens of millions of times: the answer is kept until something it
  // depends on changes. The timeline only grows between shifts, so its length (and the shift count)
  // stands for it; "at" matters only during a pause (the clocks stop) or before the last change.
  private policyMemo: { unitId: number; policy: SlaPolicy } | null = null;
  private shifts = 0;
  private historyMemo: { shifts: number; done: number; lastEvent: EventDraft | undefined; history: TimedStatus[]; lastAt: number } | null = null;
  private deadlinesMemo: { events: number; shifts: number; receivedAt: number; lastPublicReplyAt: number | null; unitId: number; at: number | null; value: Deadlines } | null = null;

  /** historyOf(this.events), extended by the events added since it was last asked (the timeline only grows between shifts). */
  private currentHistory(): { history: TimedStatus[]; lastAt: number } {
    let memo = this.historyMemo;
    const events = this.events;
    // Rebuilt after a shift (every instant moved) or when the timeline changed other than at its end.
    if (!memo || memo.shifts !== this.shifts || events.length < memo.done || (memo.done > 0 && events[memo.done - 1] !== memo.lastEvent)) {
      memo = { shifts: this.shifts, done: 0, lastEvent: undefined, history: [], lastAt: -Infinity };
    }
    if (memo.done < events.length) {
      const added = historyOf(events.slice(memo.done), memo.history[memo.history.length - 1]?.status);
      if (added.length > 0) {
        memo.history.push(...added);
        memo.lastAt = added[added.length - 1]!.at;
      }
      memo.done = events.length;
      memo.lastEvent = events[events.length - 1];
    }
    this.historyMemo = memo;
    return memo;
  }

  deadlinesAt(at: number): Deadlines {
    const { history, lastAt } = this.currentHistory();
    const timeMatters = history[history.length - 1]?.status === 'waiting_on_worker' || at < lastAt;
    // Compared field by field: a million appeals ask some ten million times, and a string key cost more than the look-up saved.
    const memo = this.deadlinesMemo;
    const memoAt = timeMatters ? at : null;
    if (
      memo !== null &&
      memo.events === this.events.length &&
      memo.shifts === this.shifts &&
      memo.receivedAt === this.receivedAt &&
      memo.lastPublicReplyAt === this.lastPublicReplyAt &&
      memo.unitId === this.unit.id &&
      memo.at === memoAt
    ) {
      return memo.value;
    }
    const value = deadlinesOf({ history, receivedAt: this.receivedAt, lastPublicReplyAt: this.lastPublicReplyAt, policy: this.policy, now: at });
    this.deadlinesMemo = { events: this.events.length, shifts: this.shifts, receivedAt: this.receivedAt, lastPublicReplyAt: this.lastPublicReplyAt, unitId: this.unit.id, at: memoAt, value };
    return value;
  }

  /** The earliest running deadline, or null while paused, answered or closed. */
  due(at = this.t): number | null {
    return this.deadlinesAt(at).dueAt;
  }

  private refresh(): void {
    this.stored = this.deadlinesAt(this.t);
  }

  /** Lets time pass before the next step; a handler with a deadline coming acts (or posts an update) before it. */
  wait(minHours: number, maxHours: number): void {
    if (this.stopped) return;
    let target = this.t + (minHours + this.rng.next() * (maxHours - minHours)) * HOUR;
    for (let guard = 0; guard < 30; guard++) {
      const due = this.due();
      if (due === null || target < due - 10 * 60_000 || due <= this.t + 20 * 60_000) break;
      const deadlines = this.deadlinesAt(this.t);
      const before = this.t + (due - this.t) * (0.4 + this.rng.next() * 0.5);
      if (deadlines.nextUpdateBy === due) {
        this.t = before;
        this.reply(this.env.progressText());
        if (this.stopped) return;
        continue;
      }
      target = before;
      break;
    }
    this.t = target;
    if (this.t > this.env.limit) this.stopped = true;
  }

  private push(event: Partial<EventDraft> & Pick<EventDraft, 'kind' | 'visibility'>, at: number, step: Step, gap = true): boolean {
    const last = this.events[this.events.length - 1];
    // A few seconds to a few minutes between two steps; whole seconds, strictly increasing.
    const time = Math.round(Math.max(at, last ? last.at + (gap ? 20_000 + this.rng.int(0, 150) * 1000 : 1000) : at) / 1000) * 1000;
    if (time > this.env.limit) {
      this.stopped = true;
      return false;
    }
    this.t = time;
    this.events.push({ fromStatus: null, toStatus: null, body: null, unitId: null, level: null, actorUserId: null, breach: null, ...event, at: time });
    if (step.bump) {
      this.version += 1;
      this.changedAt = time;
    }
    return true;
  }

  private handlerEvent(kind: AppealEventKind, visibility: 'public' | 'internal', body: string | null, extra: Partial<EventDraft> = {}): boolean {
    return this.push({ kind, visibility, body, unitId: this.unit.id, level: this.level, actorUserId: this.env.handlerOf(this.unit), ...extra }, this.t, { bump: true });
  }

  /** A handler moves the appeal along the machine (transitionAppeal): the worker sees it, and it counts as an update. */
  move(to: AppealStatus, body: string | null = null): void {
    if (this.stopped) return;
    if (!canTransition(this.status, to)) throw new Error(`Seed story: ${this.status} → ${to} is not a transition`);
    const before = this.stored;
    if (!this.handlerEvent('status', 'public', body, { fromStatus: this.status, toStatus: to })) return;
    const at = this.t;
    this.lastPublicReplyAt = this.t;
    this.delayReason = to === 'waiting_on_worker' ? body : null;
    if (to === 'acknowledged' && this.acknowledgedAt === null) this.acknowledgedAt = this.t;
    if (before.acknowledgeBy !== null && this.acknowledgedOnTime === null) this.acknowledgedOnTime = at <= before.acknowledgeBy ? 1 : 0;
    if (answeredStatuses.has(to)) {
      this.answeredAt = this.t;
      this.resolvedOnTime = before.resolveBy !== null && at <= before.resolveBy ? 1 : 0;
    }
    if (closedStatuses.has(to)) this.closedAt = this.t;
    this.status = to;
    this.refresh();
  }

  reply(body: string): void {
    if (this.stopped || !this.handlerEvent('reply', 'public', body)) return;
    this.lastPublicReplyAt = this.t;
    this.refresh();
  }

  note(body: string): void {
    if (this.stopped || !this.handlerEvent('note', 'internal', body)) return;
    this.refresh();
  }

  assign(userId: number): void {
    if (!this.stopped && this.handlerEvent('assigned', 'internal', null)) this.assignee = userId;
  }

  canEscalate(): boolean {
    return this.env.above(this.unit) !== null;
  }

  private receive(unit: StoryUnit): void {
    this.unit = unit;
    this.receivedAt = this.t;
    this.assignee = null;
    this.refresh();
  }

  /** A handler sends the appeal up by hand, saying why (escalateAppeal). */
  escalate(reason: string): void {
    const to = this.env.above(this.unit);
    if (this.stopped || !to) return;
    const actorUserId = this.env.handlerOf(this.unit);
    if (this.push({ kind: 'escalated', visibility: 'public', body: reason, unitId: to.id, level: to.level, actorUserId }, this.t, { bump: true })) this.receive(to);
  }

  /** The deadline in the row passes with nobody acting: the scheduler, running every minute, escalates it. */
  breachEscalate(): void {
    const to = this.env.above(this.unit);
    const breach = this.breach();
    if (this.stopped || !to || !breach) return;
    const at = Math.max(breach.deadline, this.t) + this.rng.int(5, 60) * 1000;
    if (this.push({ kind: 'escalated', visibility: 'public', unitId: to.id, level: to.level, breach }, at, { bump: true }, false)) this.receive(to);
  }

  /** Which clock of the row runs out first, as the scheduler's breachOf names it. */
  breach(): EventDraft['breach'] {
    const { dueAt, acknowledgeBy, nextUpdateBy } = this.stored;
    if (dueAt === null) return null;
    const clock = acknowledgeBy === dueAt ? 'acknowledge' : nextUpdateBy === dueAt ? 'update' : 'resolve';
    return { level: this.level, clock, deadline: dueAt };
  }

  /** At the top level the scheduler records a missed deadline once, and the appeal stays where it is. */
  recordBreach(): void {
    const breach = this.breach();
    if (this.stopped || !breach || this.canEscalate()) return;
    const at = Math.max(breach.deadline, this.t) + this.rng.int(5, 60) * 1000;
    this.push({ kind: 'breached', visibility: 'internal', body: breach.clock, unitId: this.unit.id, level: this.level, breach }, at, { bump: false }, false);
  }

  /** The worker answers what was asked (workerReply): their words, and the appeal back at work. */
  workerReply(body: string): void {
    if (this.stopped) return;
    if (!this.push({ kind: 'reply', visibility: 'public', body, actorUserId: this.env.workerUser }, this.t, { bump: true })) return;
    if (this.status === 'waiting_on_worker') {
      this.push({ kind: 'status', visibility: 'public', fromStatus: this.status, toStatus: 'in_progress', level: this.level, actorUserId: this.env.workerUser }, this.t, { bump: false }, false);
      this.status = 'in_progress';
      this.delayReason = null;
      // One change on the server, both events at one instant; here a second apart, to keep the order.
      this.changedAt = this.t;
    }
    this.refresh();
  }

  /** The worker's verdict on an answer (giveFeedback): confirmed with stars, or reopened with what is still wrong. */
  feedbackOf(action: 'confirm' | 'reopen', comment: string | null, rating?: number): void {
    if (this.stopped) return;
    const to: AppealStatus = action === 'confirm' ? 'confirmed' : 'reopened';
    if (!canTransition(this.status, to)) throw new Error(`Seed story: ${this.status} → ${to} is not a transition`);
    const status = { kind: 'status', visibility: 'public', fromStatus: this.status, toStatus: to, body: comment, level: this.level, actorUserId: this.env.workerUser } as const;
    if (!this.push(status, this.t, { bump: true })) return;
    this.status = to;
    this.feedback = comment;
    if (to === 'confirmed') {
      this.rating = rating ?? null;
      this.closedAt = this.t;
      this.push({ kind: 'rated', visibility: 'public', body: String(rating), actorUserId: this.env.workerUser }, this.t, { bump: false }, false);
    } else {
      this.answeredAt = null;
      this.receivedAt = this.t;
      this.reopenCount += 1;
    }
    this.refresh();
  }

  /** Seven days after the answer without a word from the worker, the scheduler confirms it. */
  autoConfirm(): void {
    if (this.stopped || this.answeredAt === null) return;
    const from = this.status;
    const at = this.answeredAt + CONFIRMATION_WINDOW_DAYS * 24 * HOUR + this.rng.int(5, 60) * 1000;
    const event = { kind: 'status', visibility: 'public', fromStatus: from, toStatus: 'confirmed', level: this.level, autoConfirm: true } as const;
    if (!this.push(event, at, { bump: true }, false)) return;
    this.status = 'confirmed';
    this.closedAt = this.t;
    this.refresh();
  }

  /** Moves every instant by the same amount (whole seconds): the story was told at a provisional time. */
  shift(by: number): void {
    by = Math.round(by / 1000) * 1000;
    this.shifts += 1;
    for (const e of this.events) {
      e.at += by;
      if (e.breach) e.breach.deadline += by;
    }
    this.t += by;
    this.receivedAt += by;
    this.changedAt += by;
    for (const key of ['acknowledgedAt', 'lastPublicReplyAt', 'answeredAt', 'closedAt'] as const) {
      const value = this[key];
      if (value !== null) this[key] = value + by;
    }
    const move = (d: number | null) => (d === null ? null : d + by);
    const { acknowledgeBy, nextUpdateBy, resolveBy, dueAt, paused } = this.stored;
    this.stored = { acknowledgeBy: move(acknowledgeBy), nextUpdateBy: move(nextUpdateBy), resolveBy: move(resolveBy), dueAt: move(dueAt), paused };
  }

  get firstAt(): number {
    return (this.events[0] as EventDraft).at;
  }

  get lastAt(): number {
    return (this.events[this.events.length - 1] as EventDraft).at;
  }
}
