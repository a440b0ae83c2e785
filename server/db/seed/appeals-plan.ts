// What the demo appeals should show, and the script each one follows. Most appeals are filed at a
// random instant of the last four months and live their life until "now" stops them, so old ones are
// closed and recent ones open, as in a real inbox. A few hundred are told to end in a given state
// instead: one of every status in every category, the demo branch's inbox and the demo driver's own,
// and some left overdue.
import { appealCategories, appealStatuses } from '../../modules/appeals/appeals.schema.js';
import type { AppealCategory, AppealLevel, AppealStatus } from '../tables-appeals.js';
import type { WorkType } from '../tables.js';
import type { Story } from './appeals-story.js';
import { HOUR } from './appeals-timeline.js';
import { type Random, weightedPicker } from './random.js';
import * as words from './appeals-vocabulary.js';

export type Spec = {
  /** Forced: where "now" finds the story. Otherwise how it ends if "now" does not stop it first. */
  status: AppealStatus;
  forced: boolean;
  category: AppealCategory;
  /** How high it climbs: the level holding it at the end. */
  level: AppealLevel;
  /** Forced open appeals: whether "now" finds a deadline missed. */
  overdue: boolean;
  anonymous: boolean;
  /** Whose appeal it is: any worker, one the demo branch serves, or the demo driver. */
  pool: 'any' | 'anchor' | 'driver';
  /** Forced closed appeals: how many days ago it was filed, at most (and at least). */
  ageDays?: readonly [number, number];
  rating?: number;
  /** Random appeals: when it was filed. */
  start?: number;
};

const DAY = 24 * HOUR;
/** How far back the demo's appeals go. */
export const WINDOW_DAYS = 120;

const openStatuses: readonly AppealStatus[] = ['submitted', 'acknowledged', 'in_progress', 'reopened', 'referred'];

/** A level to climb to: most appeals stay with the branch. */
function levelOf(rng: Random): AppealLevel {
  const r = rng.next();
  return r < 0.03 ? 'industry_committee' : r < 0.15 ? 'platform_committee' : 'branch';
}

export function buildSpecs(rng: Random, count: number, now: number, hasAnchor: boolean, hasDriver: boolean): Spec[] {
  const pickCategory = weightedPicker(appealCategories, appealCategories.map((c) => words.categoryWeights[c]));
  const spec = (status: AppealStatus, fields: Partial<Spec> = {}): Spec => ({
    status,
    forced: true,
    category: pickCategory(rng),
    level: 'branch',
    overdue: false,
    anonymous: rng.chance(0.1),
    pool: 'any',
    ...fields,
  });
  const specs: Spec[] = [];
  // One of every status in every category, at every level now and then, a third of the open ones late.
  if (count >= 2 * appealCategories.length * appealStatuses.length) {
    for (const category of appealCategories) {
      for (const status of appealStatuses) specs.push(spec(status, { category, level: levelOf(rng), overdue: rng.chance(0.3) }));
    }
  }
  if (hasDriver) {
    // The demo driver's own: an answer to confirm, one in hand with a reply, one he rated, one waiting on him.
    const own = { pool: 'driver', anonymous: false } as const;
    specs.push(spec('resolved', { ...own, category: 'income_fees' }));
    specs.push(spec('in_progress', { ...own, category: 'traffic_parking' }));
    specs.push(spec('confirmed', { ...own, category: 'rest_facilities', rating: 5, ageDays: [40, 60] }));
    specs.push(spec('waiting_on_worker', { ...own, category: 'account_penalties' }));
  }
  if (hasAnchor) {
    // The demo branch's inbox: several waiting for its reply, several late, answers awaiting confirmation.
    const anchor = { pool: 'anchor' } as const;
    const mix: [AppealStatus, number, Partial<Spec>][] = [
      ['submitted', 3, {}],
      ['acknowledged', 3, {}],
      ['in_progress', 4, {}],
      ['reopened', 1, {}],
      ['submitted', 2, { overdue: true }],
      ['acknowledged', 1, { overdue: true }],
      ['in_progress', 3, { overdue: true }],
      // Late at the top, where no scheduler moves them on: red in the branch's inbox for good.
      ['in_progress', 2, { overdue: true, level: 'industry_committee' }],
      ['reopened', 1, { overdue: true, level: 'industry_committee' }],
      ['waiting_on_worker', 2, {}],
      ['referred', 1, {}],
      ['resolved', 3, {}],
      ['partly_resolved', 1, {}],
      ['in_progress', 2, { level: 'platform_committee' }],
      ['submitted', 1, { level: 'platform_committee' }],
      ['confirmed', 8, {}],
      ['confirmed', 3, { level: 'platform_committee' }],
      ['rejected', 2, {}],
      ['merged', 1, {}],
    ];
    for (const [status, n, fields] of mix) for (let i = 0; i < n; i++) specs.push(spec(status, { ...anchor, ...fields }));
  }
  // Some left late across the other branches. The scheduler escalates a late one at its first tick,
  // so most are late at the top level, where it only records the breach and they stay red.
  const stalled = Math.round(count * 0.025);
  for (let i = 0; i < stalled && specs.length < count; i++) {
    specs.push(spec(rng.pick(openStatuses), { overdue: true, level: rng.chance(0.7) ? 'industry_committee' : levelOf(rng) }));
  }
  // The rest: filed at a random instant, more of them lately (the demo's platforms keep joining).
  const pickOutcome = weightedPicker<AppealStatus>(['confirmed', 'rejected', 'merged'], [86, 8, 6]);
  while (specs.length < count) {
    const ramp = rng.chance(0.5) ? rng.next() : 1 - Math.sqrt(rng.next());
    const start = now - Math.max(ramp * WINDOW_DAYS * DAY, 10 * 60_000);
    specs.push(spec(pickOutcome(rng), { forced: false, level: levelOf(rng), start }));
  }
  return specs;
}

/** What a story needs to say, in the words of its category and place. */
export type Words = {
  text: Random;
  category: AppealCategory;
  workType: WorkType;
  /** Fills the slots; {单位} is the unit holding the appeal when the words are written. */
  fill: (text: string, unitName: string) => string;
  /** The demo secretary, for the assignments in her branch. */
  assignee: { userId: number; unitId: number } | null;
};

const climbOf = (s: Story, spec: Spec) => levelsUp(spec.level) - levelsUp(s.level);
const levelsUp = (level: AppealLevel) => (level === 'branch' ? 0 : level === 'platform_committee' ? 1 : 2);

// As the server writes a referral: who it went to, then why.
function refer(s: Story, w: Words): void {
  const referral = w.text.pick(words.referrals[w.category]);
  const to = w.fill(referral.to, s.unit.name);
  s.move('referred', `${to} — ${referral.reason}`);
  if (s.status === 'referred') s.referredTo = to;
}

function close(s: Story, w: Words, to: 'rejected' | 'merged' | 'referred'): void {
  if (to === 'referred') return refer(s, w);
  // A merge's reason names the appeal it joins, once ids are known.
  const reason = to === 'rejected' ? w.text.pick(words.rejectReasons) : null;
  s.move(to, reason);
  if (s.status === 'rejected') s.rejectReason = reason;
  if (s.status === 'merged') s.merged = true;
}

function answer(s: Story, w: Words, partly: boolean): void {
  const text = w.fill(words.answerOf(w.text, w.category, w.workType), s.unit.name);
  s.move(partly ? 'partly_resolved' : 'resolved', partly ? w.text.pick(words.partialAnswers) : text);
}

/** Tells one appeal from filing to `spec.status`, or until "now" stops it. */
export function tell(s: Story, spec: Spec, w: Words): void {
  const { rng } = s;
  const final = spec.status;
  // Some climb before anyone acknowledged them: the acknowledge deadline passed. (Loops are bounded:
  // a step that cannot happen leaves the level as it is.)
  const early = climbOf(s, spec) > 0 && (final === 'submitted' || final === 'acknowledged' || rng.chance(0.35));
  for (let n = 0; early && n < 2 && climbOf(s, spec) > 0 && s.canEscalate(); n++) s.breachEscalate();
  if (final === 'submitted') return;
  if ((final === 'rejected' || final === 'merged' || final === 'referred') && climbOf(s, spec) <= 0 && rng.chance(0.35)) {
    s.wait(0.5, 12);
    return close(s, w, final);
  }
  s.wait(0.3, 16);
  s.move('acknowledged');
  if (rng.chance(0.6)) s.reply(w.fill(w.text.pick(words.ackReplies), s.unit.name));
  if (w.assignee && s.unit.id === w.assignee.unitId && rng.chance(0.6)) s.assign(w.assignee.userId);
  if (final === 'acknowledged') return;
  const [ask, told] = w.text.pick(words.waitingAsks);
  if (final === 'waiting_on_worker' && climbOf(s, spec) <= 0 && rng.chance(0.3)) {
    s.wait(0.5, 8);
    return s.move('waiting_on_worker', ask);
  }
  s.wait(0.5, 12);
  s.move('in_progress');
  if (rng.chance(0.35)) s.note(w.text.pick(words.internalNotes));
  for (let n = 0; n < 2 && climbOf(s, spec) > 0 && s.canEscalate() && !s.stopped; n++) {
    s.wait(2, 30);
    if (rng.chance(0.6)) s.escalate(w.text.pick(words.escalationReasons));
    else s.breachEscalate();
    // The new level's first public reply is its acknowledgment.
    s.wait(0.5, 14);
    s.reply(w.fill(w.text.pick(words.takeoverReplies), s.unit.name));
    if (rng.chance(0.5)) s.note(w.text.pick(words.internalNotes));
  }
  const progress = () => {
    s.wait(2, 20);
    s.reply(words.progressOf(w.text, w.category));
  };
  if (final === 'in_progress') {
    // In hand, and the worker has heard from it since the level holding it received it.
    if (s.lastPublicReplyAt === null || s.lastPublicReplyAt < s.receivedAt || rng.chance(0.5)) progress();
    return;
  }
  if (final !== 'waiting_on_worker' && rng.chance(0.15)) {
    s.wait(1, 20);
    s.move('waiting_on_worker', ask);
    s.wait(3, 96);
    s.workerReply(told);
  }
  for (let n = rng.int(0, 2); n > 0; n--) progress();
  if (final === 'waiting_on_worker' || final === 'rejected' || final === 'merged' || final === 'referred') {
    s.wait(1, 24);
    if (final === 'waiting_on_worker') return s.move('waiting_on_worker', ask);
    return close(s, w, final);
  }
  // resolved, partly_resolved, reopened or confirmed: an answer, sometimes relayed from another body.
  const partly = final === 'partly_resolved' || (final !== 'resolved' && rng.chance(0.2));
  if (final === 'confirmed' && rng.chance(0.1)) {
    s.wait(1, 20);
    refer(s, w);
    s.wait(12, 60);
    s.move('resolved', w.text.pick(words.relayAnswers));
  } else {
    s.wait(1, 24);
    answer(s, w, partly);
  }
  const reopens = final === 'reopened' ? (rng.chance(0.2) ? 2 : 1) : final === 'confirmed' && rng.chance(0.08) ? 1 : 0;
  for (let i = 1; i <= reopens; i++) {
    s.wait(2, 48);
    s.feedbackOf('reopen', w.text.pick(words.reopenComments));
    if (final === 'reopened' && i === reopens) return;
    s.wait(0.5, 12);
    s.move('in_progress');
    s.wait(2, 30);
    s.move('resolved', w.text.pick(words.secondAnswers));
  }
  if (final !== 'confirmed') return;
  // Most workers confirm within days, mostly with four or five stars; the rest are confirmed after 7 days.
  if (spec.rating !== undefined || rng.chance(0.62)) {
    s.wait(1, 6.5 * 24);
    const rating = spec.rating ?? rng.weightedPick([5, 4, 3, 2, 1], [50, 30, 11, 5, 4]);
    const feedback = spec.rating !== undefined || rng.chance(0.4) ? w.text.pick(rating >= 4 ? words.praise : words.complaints) : null;
    s.feedbackOf('confirm', feedback, rating);
  } else {
    s.autoConfirm();
  }
}
