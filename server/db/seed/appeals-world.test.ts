import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { sensitiveCodec } from '../../core/sensitive.js';
import { type AppealStatus, type StatusChange, canTransition, closedStatuses, dueAtOf, isDueForAutoConfirm, slaClock } from '../../modules/appeals/appeals.rules.js';
import type { AppealCategory } from '../tables-appeals.js';
import { appealCategories, appealStatuses } from '../../modules/appeals/appeals.schema.js';
import { TEST_NOW, describeEachEngine } from '../../test/harness.js';
import { type SlaPolicyRow, policyFor } from './appeals-timeline.js';
import { type SeedSummary, seedDemo } from './seed-demo.js';

// The demo appeals on both engines: the same rows from the same seed, every status in every category,
// timelines that only take allowed steps, and deadlines equal to what the live rules compute.
const codec = sensitiveCodec('appeals-world test secret, 32+ characters long');
const now = TEST_NOW;
const DAY = 86_400_000;
const digests = new Map<string, string>();

type EventRow = { kind: string; fromStatus: AppealStatus | null; toStatus: AppealStatus | null; visibility: string; unitId: number | null; createdAt: string };
type AppealRow = { category: AppealCategory; unitPath: string; originUnitPath: string };

/** The worker's own answer that sends an appeal waiting on them back to work (one change with their reply). */
const isWorkerResume = (e: EventRow) => e.kind === 'status' && e.fromStatus === 'waiting_on_worker' && e.unitId === null;

/**
 * Replays the server's bookkeeping over a timeline: when the holding level received the appeal (filing,
 * escalation, reopening), the holder's last public word (reply or transition), and the status history
 * the clocks read. Returns the deadlines refreshDeadlines would store at `at`.
 */
function deadlinesAfter(events: EventRow[], a: AppealRow, policies: SlaPolicyRow[], at: string, paths?: Map<number, string>) {
  let receivedAt = events[0]!.createdAt;
  let unitPath = a.originUnitPath;
  let lastWord: string | null = null;
  const history: StatusChange[] = [];
  for (const e of events) {
    if (e.toStatus !== null) history.push({ status: e.toStatus, at: e.createdAt });
    else if (e.kind === 'reply' && e.visibility === 'public' && e.unitId !== null) history.push({ status: history[history.length - 1]!.status, at: e.createdAt });
    if (e.kind === 'escalated') {
      receivedAt = e.createdAt;
      unitPath = paths?.get(e.unitId!) ?? unitPath;
    }
    if (e.toStatus === 'reopened') receivedAt = e.createdAt;
    if (e.unitId !== null && (e.kind === 'reply' || e.kind === 'status') && e.visibility === 'public') lastWord = e.createdAt;
  }
  const lastPublicReplyAt = lastWord !== null && lastWord >= receivedAt ? lastWord : null;
  const path = paths ? unitPath : a.unitPath;
  const clock = slaClock({ history, receivedAt, lastPublicReplyAt, policy: policyFor(policies, path, a.category), now: at });
  return { acknowledgeBy: clock.acknowledgeBy, nextUpdateBy: clock.nextUpdateBy, resolveBy: clock.resolveBy, dueAt: dueAtOf(clock) };
}

describeEachEngine('the demo appeals', (ctx) => {
  let summary: SeedSummary;
  let appeals: Awaited<ReturnType<typeof readAppeals>>;
  let eventsOf: Map<number, Awaited<ReturnType<typeof readEvents>>>;
  const readAppeals = () => ctx.db.selectFrom('appeals').selectAll().orderBy('id').execute();
  const readEvents = () => ctx.db.selectFrom('appealEvents').selectAll().orderBy('id').execute();

  beforeAll(async () => {
    summary = await seedDemo(ctx.db, { now: new Date(now), codec });
    appeals = await readAppeals();
    const events = await readEvents();
    eventsOf = new Map();
    for (const e of events) eventsOf.set(e.appealId, [...(eventsOf.get(e.appealId) ?? []), e]);
    // Event ids are left out: the rows are what must repeat, and both engines number them alike anyway.
    const content = JSON.stringify([appeals, events.map(({ id: _id, ...rest }) => rest)]);
    digests.set(ctx.engine, createHash('sha256').update(content).digest('hex'));
  }, 120_000);

  it('holds about 1,500 appeals over the last four months, a tenth of them anonymous', () => {
    expect(summary.appeals).toBe(appeals.length);
    expect(appeals.length).toBeGreaterThanOrEqual(1_400);
    expect(appeals.length).toBeLessThanOrEqual(1_500);
    expect(summary.appealEvents).toBe([...eventsOf.values()].reduce((n, list) => n + list.length, 0));
    expect(appeals.every((a) => a.createdAt >= new Date(Date.parse(now) - 130 * DAY).toISOString())).toBe(true);
    const anonymous = appeals.filter((a) => a.anonymous === 1);
    expect(anonymous.length / appeals.length).toBeGreaterThan(0.07);
    expect(anonymous.length / appeals.length).toBeLessThan(0.13);
    for (const a of anonymous) {
      expect(a).toMatchObject({ workerId: null, recordedBy: null, contactId: null, contactPreference: 'none' });
      expect(a.trackingCode).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
      expect(a.secretHash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(new Set(anonymous.map((a) => a.trackingCode)).size).toBe(anonymous.length);
    expect(appeals.filter((a) => a.anonymous === 0).every((a) => a.workerId !== null && a.trackingCode === null && a.secretHash === null)).toBe(true);
  });

  it('has every status in every category', () => {
    const seen = new Set(appeals.map((a) => `${a.category}:${a.status}`));
    const missing = appealCategories.flatMap((c) => appealStatuses.filter((s) => !seen.has(`${c}:${s}`)).map((s) => `${c}:${s}`));
    expect(missing).toEqual([]);
    expect(new Set(appeals.map((a) => a.level))).toEqual(new Set(['branch', 'platform_committee', 'industry_committee']));
  });

  it('tells each timeline along allowed transitions, in increasing time up to now, ending in the appeal’s state', () => {
    const problems: string[] = [];
    for (const a of appeals) {
      const events = eventsOf.get(a.id) ?? [];
      let status = events[0]?.kind === 'submitted' ? events[0].toStatus : null;
      if (status !== 'submitted') problems.push(`${a.id}: does not start with its filing`);
      for (let i = 1; i < events.length; i++) {
        const e = events[i]!;
        if (e.createdAt <= events[i - 1]!.createdAt) problems.push(`${a.id}: event ${i} not after the one before`);
        if (e.kind === 'status') {
          if (e.fromStatus !== status || !canTransition(e.fromStatus!, e.toStatus!)) problems.push(`${a.id}: ${e.fromStatus} → ${e.toStatus} after ${status}`);
          status = e.toStatus;
        } else if (e.toStatus !== null) problems.push(`${a.id}: a ${e.kind} event changes the status`);
      }
      if (status !== a.status) problems.push(`${a.id}: timeline ends in ${status}, the appeal is ${a.status}`);
      const last = events[events.length - 1];
      if (!last || last.createdAt > now) problems.push(`${a.id}: events after now`);
      // Every change the server makes bumps the version once; the scheduler's notes and the rating beside a confirmation do not.
      const changes = events.filter((e) => !['submitted', 'rated', 'breached', 'merged'].includes(e.kind) && !isWorkerResume(e));
      const lastChange = [a, ...events].filter((e) => !('kind' in e) || !['rated', 'breached', 'merged'].includes(e.kind)).pop();
      if (a.createdAt !== events[0]?.createdAt || a.updatedAt !== lastChange?.createdAt || a.version !== 1 + changes.length) problems.push(`${a.id}: created, updated or version`);
    }
    expect(problems).toEqual([]);
  });

  it('stores the deadlines the live rules compute from the stored timeline and the SLA policies', async () => {
    const policies: SlaPolicyRow[] = await ctx.db.selectFrom('slaPolicies').select(['unitId', 'category', 'acknowledgeHours', 'updateHours', 'resolveHours']).execute();
    expect(policies.length).toBeGreaterThan(0);
    const wrong: number[] = [];
    for (const a of appeals) {
      // The deadlines as of the last change (refreshDeadlines), which is also what "now" reads unless paused.
      const deadlines = (at: string) => deadlinesAfter(eventsOf.get(a.id) ?? [], a, policies, at);
      const stored = { acknowledgeBy: a.acknowledgeBy, nextUpdateBy: a.nextUpdateBy, resolveBy: a.resolveBy, dueAt: a.dueAt };
      if (JSON.stringify(deadlines(a.updatedAt)) !== JSON.stringify(stored) || deadlines(now).dueAt !== a.dueAt) wrong.push(a.id);
    }
    expect(wrong).toEqual([]);
    expect(appeals.filter((a) => a.dueAt !== null && a.dueAt < now).length).toBeGreaterThan(20);
    expect(appeals.filter((a) => a.status === 'waiting_on_worker').every((a) => a.dueAt === null && a.delayReason !== null)).toBe(true);
  });

  it('misses no deadline in the past that the scheduler would have acted on, and acts on the missed ones as it does', async () => {
    const policies: SlaPolicyRow[] = await ctx.db.selectFrom('slaPolicies').select(['unitId', 'category', 'acknowledgeHours', 'updateHours', 'resolveHours']).execute();
    const paths = new Map((await ctx.db.selectFrom('orgUnits').select(['id', 'path']).execute()).map((u) => [u.id, u.path]));
    const missed: string[] = [];
    for (const a of appeals) {
      const events = eventsOf.get(a.id) ?? [];
      for (let i = 0; i < events.length - 1; i++) {
        const next = events[i + 1]!;
        const due = deadlinesAfter(events.slice(0, i + 1), a, policies, events[i]!.createdAt, paths).dueAt;
        // The scheduler ticks every minute; its own step names the deadline it answers.
        if (due === null || Date.parse(next.createdAt) <= Date.parse(due) + 60_000) continue;
        if ((next.kind === 'escalated' || next.kind === 'breached') && next.breachKey?.endsWith(`:${due}`)) continue;
        missed.push(`${a.id}: ${due} passed before event ${i + 1} (${next.kind})`);
      }
    }
    expect(missed).toEqual([]);
    const breached = [...eventsOf.values()].flat().filter((e) => e.kind === 'breached');
    expect(breached.length).toBeGreaterThan(5);
    for (const e of breached) {
      const a = appeals.find((x) => x.id === e.appealId)!;
      expect(a.level).toBe('industry_committee');
      expect(e.breachKey).toBe(`${a.level}:${e.body}:${a.dueAt}`);
    }
    const autoConfirmed = [...eventsOf.values()].flat().filter((e) => e.breachKey?.startsWith('auto-confirm:'));
    expect(autoConfirmed.length).toBeGreaterThan(50);
    expect(autoConfirmed.every((e) => e.toStatus === 'confirmed' && e.actorUserId === null && Date.parse(e.createdAt) - Date.parse(e.breachKey!.slice(13)) >= 7 * DAY)).toBe(true);
  });

  it('keeps each state’s own columns: answers awaiting confirmation, ratings, reasons, merges, reopenings', () => {
    const byId = new Map(appeals.map((a) => [a.id, a]));
    for (const a of appeals) {
      if (a.status === 'resolved' || a.status === 'partly_resolved') {
        expect(a.answeredAt).not.toBeNull();
        expect(isDueForAutoConfirm(a.status, a.answeredAt!, now)).toBe(false);
      }
      expect(a.closedAt !== null).toBe(closedStatuses.has(a.status));
      if (a.status === 'rejected') expect(a.rejectReason).toBeTruthy();
      if (a.status === 'referred') expect(a.referredTo).toBeTruthy();
      if (a.status === 'reopened') expect(a.reopenCount).toBeGreaterThanOrEqual(1);
      if (a.rating !== null) expect(a.status === 'confirmed' && a.rating >= 1 && a.rating <= 5).toBe(true);
      if (a.status === 'merged') {
        const target = byId.get(a.mergedIntoId ?? 0);
        expect(target && target.id < a.id && target.createdAt < a.createdAt).toBe(true);
        expect([target?.category, target?.platformId, target?.cityCode]).toEqual([a.category, a.platformId, a.cityCode]);
        // Merged into an appeal still open then, whose timeline notes it.
        const note = (eventsOf.get(target!.id) ?? []).find((e) => e.kind === 'merged' && e.body === `#${a.id}`);
        expect(note && (target!.closedAt === null || note.createdAt < target!.closedAt)).toBe(true);
      } else expect(a.mergedIntoId).toBeNull();
      if (a.answeredAt !== null) expect(a.resolvedOnTime).not.toBeNull();
      if (a.acknowledgedAt !== null) expect(a.acknowledgedOnTime).not.toBeNull();
    }
    const rated = appeals.filter((a) => a.rating !== null);
    expect(rated.filter((a) => a.rating! >= 4).length / rated.length).toBeGreaterThan(0.7);
    expect(appeals.filter((a) => a.status === 'confirmed' && a.rating === null).length).toBeGreaterThan(50);
  });

  it('routes each appeal to a unit of its platform and moves escalated ones up the tree, keeping the origin', async () => {
    const units = new Map((await ctx.db.selectFrom('orgUnits').select(['id', 'path', 'kind', 'platformId']).execute()).map((u) => [u.id, u]));
    const workers = new Map((await ctx.db.selectFrom('workers').select(['id', 'platformId', 'cityCode']).execute()).map((w) => [w.id, w]));
    for (const a of appeals) {
      const unit = units.get(a.unitId)!;
      const origin = units.get(a.originUnitId)!;
      expect([unit.path, origin.path]).toEqual([a.unitPath, a.originUnitPath]);
      expect(origin.platformId).toBe(a.platformId);
      expect(a.originUnitPath.startsWith(a.unitPath)).toBe(true);
      expect(a.level === 'branch' ? ['mobile_branch', 'group', 'secondary_committee'] : [a.level]).toContain(unit.kind);
      if (a.workerId !== null) expect(workers.get(a.workerId)).toMatchObject({ platformId: a.platformId, cityCode: a.cityCode });
    }
    const escalations = [...eventsOf.values()].flat().filter((e) => e.kind === 'escalated');
    expect(escalations.some((e) => e.breachKey !== null && /^branch:acknowledge:\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(e.breachKey))).toBe(true);
    expect(escalations.some((e) => e.breachKey === null && e.body)).toBe(true);
  });

  it('gives the demo branch a full inbox and the demo driver appeals of his own', async () => {
    const user = (username: string) => ctx.db.selectFrom('users').select(['id', 'workerId']).where('username', '=', username).executeTakeFirstOrThrow();
    const branchUser = await user('branch');
    const grant = await ctx.db.selectFrom('roleGrants').select('unitId').where('userId', '=', branchUser.id).executeTakeFirstOrThrow();
    const inBranch = appeals.filter((a) => a.unitId === grant.unitId || a.originUnitId === grant.unitId);
    expect(inBranch.length).toBeGreaterThanOrEqual(30);
    expect(inBranch.length).toBeLessThanOrEqual(60);
    const held = inBranch.filter((a) => a.unitId === grant.unitId && ['submitted', 'acknowledged', 'in_progress', 'reopened'].includes(a.status));
    expect(held.filter((a) => a.dueAt! < now).length).toBeGreaterThanOrEqual(3);
    expect(held.filter((a) => a.dueAt! >= now).length).toBeGreaterThanOrEqual(3);
    // The late ones the scheduler cannot move further stay red in the branch's inbox.
    expect(inBranch.filter((a) => a.level === 'industry_committee' && a.dueAt! < now).length).toBeGreaterThanOrEqual(2);
    const acted = [...eventsOf.values()].flat().filter((e) => e.actorUserId === branchUser.id);
    expect(acted.length).toBeGreaterThan(50);

    const driver = await user('driver');
    const own = appeals.filter((a) => a.workerId === driver.workerId);
    expect(own.length).toBeGreaterThanOrEqual(3);
    expect(own.length).toBeLessThanOrEqual(4);
    const answered = own.find((a) => a.status === 'resolved')?.answeredAt ?? '';
    expect(answered > new Date(Date.parse(now) - 7 * DAY).toISOString()).toBe(true);
    const inHand = own.find((a) => a.status === 'in_progress');
    expect((eventsOf.get(inHand?.id ?? 0) ?? []).some((e) => e.kind === 'reply' && e.visibility === 'public')).toBe(true);
    expect(own.find((a) => a.status === 'confirmed')?.rating).toBeGreaterThanOrEqual(4);
    const notifications = await ctx.db.selectFrom('notifications').select(['appealId', 'readAt']).where('userId', '=', branchUser.id).execute();
    expect(notifications.length).toBeGreaterThan(5);
  });
});

describe('the demo appeals on both engines', () => {
  it('are the same rows on SQLite and PostgreSQL', () => {
    expect(digests.size).toBe(2);
    expect(digests.get('sqlite')).toBe(digests.get('postgres'));
  });
});
