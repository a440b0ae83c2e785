// The demo's appeals (诉求): about 1,500 over the last four months from the seeded workers, routed as
// the server routes them (the liaison's branch, else the serving unit; anonymous ones by platform and
// city), each with a timeline that only takes allowed transitions and deadlines computed by the same
// rules as the live server, so the inbox, the figures and Open311 have real content. Reads the people
// the people step wrote; draws from its own random streams, so it changes nothing else in the world.
import { type Kysely, sql } from 'kysely';
import { rebuildAppealFigures } from '../../modules/appeals/appeals.figure-counts.js';
import { rebuildAllAppealReach } from '../../modules/appeals/appeals.reach.js';
import { closedStatuses, answeredStatuses } from '../../modules/appeals/appeals.rules.js';
import { categoryNames } from '../../modules/appeals/appeals.schema.js';
import { engineOf } from '../engine.js';
import type { AppealCategory, AppealChannel } from '../tables-appeals.js';
import type { Database } from '../tables.js';
import { type Spec, WINDOW_DAYS, buildSpecs, tell } from './appeals-plan.js';
import { Story, type StoryEnv, type StoryUnit } from './appeals-story.js';
import { type SlaPolicyRow, HOUR, iso, isoOrNull, policyFor, sha256Hex, trackingCodeOf } from './appeals-timeline.js';
import { type Worker, loadWorkers, treeOf } from './appeals-routing.js';
import * as words from './appeals-vocabulary.js';
import { insertRows } from './bulk-insert.js';
import type { OrgWorld } from './org-world.js';
import { Random } from './random.js';
import { seedCity } from './regions.js';

type Db = Kysely<Database>;
const DAY = 24 * HOUR;

export type AppealsSummary = { appeals: number; appealEvents: number };

export type AppealsInput = {
  db: Db;
  seed: number;
  now: Date;
  world: OrgWorld;
  count: number;
  /** The demo logins' user ids: the secretary handles her branch's appeals, the driver files his own. */
  users: { branch?: number; driver?: number; sichuan?: number };
  /** Wall time of each part, for the benchmark notes. */
  timings?: Record<string, number>;
};

/** 1,500 at the demo size, 40,000 at the bench size, else 3 for every 8 workers; none without workers. */
export function appealCountOf(size: 'demo' | 'bench' | 'custom', workers: number): number {
  if (workers === 0) return 0;
  return size === 'demo' ? 1_500 : size === 'bench' ? 40_000 : Math.round((workers * 3) / 8);
}

export const appealColumns = [
  'id', 'category', 'description', 'platformId', 'cityCode', 'lat', 'lng', 'address', 'contactPreference', 'anonymous', 'workerId',
  'trackingCode', 'secretHash', 'channel', 'recordedBy', 'contactId', 'contactName', 'contactPhoneEnc', 'status', 'level', 'unitId',
  'unitPath', 'originUnitId', 'originUnitPath', 'assigneeUserId', 'receivedAt', 'acknowledgedAt', 'lastPublicReplyAt', 'answeredAt',
  'closedAt', 'acknowledgeBy', 'nextUpdateBy', 'resolveBy', 'dueAt', 'acknowledgedOnTime', 'resolvedOnTime', 'delayReason', 'referredTo', 'rejectReason', 'mergedIntoId',
  'rating', 'feedback', 'reopenCount', 'version', 'createdAt', 'updatedAt',
] as const;
export const eventColumns = ['appealId', 'kind', 'fromStatus', 'toStatus', 'visibility', 'body', 'unitId', 'level', 'actorUserId', 'breachKey', 'createdAt'] as const;
type Row = Record<string, string | number | null>;
/** Appeals written per transaction (with their events, about eight times as many). */
const SLICE = 20_000;

type Built = {
  spec: Spec;
  story: Story;
  worker: Worker;
  origin: StoryUnit;
  channel: AppealChannel;
  recordedBy: number | null;
  description: string;
  district: string;
  mergedInto: Built | null;
};

/** Adds to a list in a map in place: copying the list on every add made a million appeals quadratic. */
function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Notes the wall time of each part since the last (appeals:<part>), for the benchmark notes. */
function partTimer(timings: Record<string, number> | undefined): (part: string) => void {
  let started = performance.now();
  return (part) => {
    const at = performance.now();
    if (timings) timings[`appeals:${part}`] = Math.round(at - started);
    started = at;
  };
}

export async function seedAppeals(input: AppealsInput): Promise<AppealsSummary> {
  const summary = await writeAppeals(input);
  await rebuildAppealsDerived(input.db, input.timings);
  return summary;
}

/**
 * The appeals' rows the seed writes itself (appeals, their events, SLA policies, the secretary's bell),
 * told from the people the people step wrote. What the server derives from them comes after: rebuildAppealsDerived.
 */
export async function writeAppeals(input: AppealsInput): Promise<AppealsSummary> {
  const { db, world, users } = input;
  const now = input.now.getTime();
  const summary: AppealsSummary = { appeals: 0, appealEvents: 0 };
  if (input.count === 0) return summary;
  const partDone = partTimer(input.timings);
  const rng = Random.stream(input.seed, 'appeals');
  const text = Random.stream(input.seed, 'appeals:text');
  const codes = Random.stream(input.seed, 'appeals:codes');
  const anchorId = world.anchors.firstChengduBranch;
  const workers = await loadWorkers(db, rng, input.count, anchorId);
  if (workers.length === 0) return summary;
  partDone('load');
  const tree = treeOf(world);
  const driverWorkerId = users.driver === undefined ? null : ((await db.selectFrom('users').select('workerId').where('id', '=', users.driver).executeTakeFirst())?.workerId ?? null);
  const driver = workers.find((w) => w.id === driverWorkerId) ?? null;
  const platformNames = new Map((await db.selectFrom('platforms').select(['id', 'name']).execute()).map((p) => [p.id, p.name]));
  const secretary = anchorId !== null && users.branch !== undefined ? { userId: users.branch, unitId: anchorId } : null;

  // Tighter deadlines where they matter: safety in the demo branch's platform committee, and more time
  // for injury claims across Sichuan (the social-insurance bureau takes its time).
  const anchorUnit = tree.open(anchorId);
  const policies: SlaPolicyRow[] = [];
  const committee = anchorUnit ? tree.above(anchorUnit) : null;
  if (committee) policies.push({ unitId: committee.id, category: 'safety', acknowledgeHours: 12, updateHours: 24, resolveHours: 48 });
  if (world.anchors.sichuanCommittee !== null) policies.push({ unitId: world.anchors.sichuanCommittee, category: 'insurance_injury', acknowledgeHours: 24, updateHours: 48, resolveHours: 168 });

  const pools = { any: [] as Worker[], anchor: [] as Worker[] };
  for (const w of workers) if (w !== driver) (tree.route(w).id === anchorId ? pools.anchor : pools.any).push(w);
  const specs = buildSpecs(rng, input.count, now, pools.anchor.length > 0 && secretary !== null, driver !== null);

  const build = (given: Spec, worker: Worker, start: number, limit: number): Built => {
    const origin = given.anonymous ? tree.anonymousRoute(worker) : tree.route(worker);
    const channel: AppealChannel = given.anonymous || given.pool === 'driver' ? 'app' : worker.liaison && rng.chance(0.15) ? 'member' : rng.chance(0.08) ? 'phone' : 'app';
    // A member enters what the worker raised at their last contact: the appeal is about that demand.
    const demand = channel === 'member' && !given.forced && given.status !== 'merged' ? worker.demands.filter((d) => d.at < start).pop() : undefined;
    const spec = demand && words.demandCategory[demand.text] ? { ...given, category: words.demandCategory[demand.text] as AppealCategory } : given;
    const handlerOf = (unit: StoryUnit) => (secretary && unit.id === secretary.unitId ? secretary.userId : null);
    const recordedBy = channel === 'member' ? (worker.liaison?.userId ?? null) : channel === 'phone' ? handlerOf(origin) : null;
    const city = seedCity(worker.cityCode);
    const district = city.districts.length ? text.pick(city.districts).name : '';
    const slots = { 平台: platformNames.get(worker.platformId) ?? '', 城市: city.name, 区: district, 单位: origin.name };
    const env: StoryEnv = {
      rng,
      category: spec.category,
      policies,
      above: tree.above,
      handlerOf,
      workerUser: spec.anonymous ? null : worker.userId,
      submittedBy: spec.anonymous ? null : channel === 'app' ? worker.userId : recordedBy,
      limit,
      progressText: () => words.fill(words.progressOf(text, spec.category), slots),
    };
    const story = new Story(env, origin, start);
    tell(story, spec, { text, category: spec.category, workType: worker.workType, fill: (t, unitName) => words.fill(t, { ...slots, 单位: unitName }), assignee: secretary });
    const description = words.fill(words.descriptionOf(text, spec.category, worker.workType), slots);
    return { spec, story, worker, origin, channel, recordedBy, description, district, mergedInto: null };
  };

  // A told story is placed in time: "now" finds a forced one in its state (late if it should be), and
  // a closed one lands somewhere in the window; it may not start before the worker (or its merge target).
  const place = (b: Built, notBefore: number): boolean => {
    const { story, spec } = b;
    const first = story.firstAt;
    const last = story.lastAt;
    if (closedStatuses.has(story.status)) {
      const [minDays, maxDays] = spec.ageDays ?? [0, WINDOW_DAYS];
      const lo = Math.max(now - maxDays * DAY, notBefore);
      const hi = Math.min(now - minDays * DAY, now - (last - first) - 10 * 60_000);
      if (lo > hi) return false;
      story.shift(lo + rng.next() * (hi - lo) - first);
      return true;
    }
    let at: number;
    if (answeredStatuses.has(story.status)) at = last + (0.5 + rng.next() * 160) * HOUR;
    else if (story.status === 'waiting_on_worker') at = last + (3 + rng.next() * 200) * HOUR;
    else {
      const due = story.due(last) ?? last;
      at = !spec.overdue && due - last > 40 * 60_000 ? last + (due - last) * (0.1 + rng.next() * 0.75) : Math.max(due, last) + (0.5 + rng.next() * 29.5) * HOUR;
    }
    story.shift(now - at);
    // Late at the top level: the scheduler has already noted it (lower down, its next tick escalates it).
    if (story.stored.dueAt !== null && story.stored.dueAt < now - 60_000) story.recordBreach();
    return story.firstAt >= notBefore;
  };

  // Workers by the unit their appeals go to, for merges: a duplicate reaches the same branch, so one
  // handler can merge it, and comes from the same platform and city.
  const routeKey = (w: Worker, anonymous: boolean) => `${anonymous ? 'a' : 'w'}${(anonymous ? tree.anonymousRoute(w) : tree.route(w)).id}`;
  const byKey = { any: new Map<string, Worker[]>(), anchor: new Map<string, Worker[]>() };
  for (const pool of ['any', 'anchor'] as const) {
    for (const w of pools[pool]) for (const key of [routeKey(w, false), routeKey(w, true)]) appendTo(byKey[pool], key, w);
  }
  const pick = (spec: Spec, target: Built | null): Worker | null => {
    if (spec.pool === 'driver') return driver;
    const list = target === null ? pools[spec.pool] : (byKey[spec.pool].get(`${spec.anonymous ? 'a' : 'w'}${target.origin.id}`) ?? []);
    return list.length ? rng.pick(list) : null;
  };
  const mergedAt = (b: Built) => b.story.events.find((e) => e.toStatus === 'merged')?.at ?? Infinity;

  const built: Built[] = [];
  const tellOne = (spec: Spec, target: Built | null): void => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const worker = pick(spec, target);
      if (!worker) return;
      // Late tries (or the one fixed driver) give up on the worker's own start date rather than the appeal.
      const notBefore = Math.max(attempt < 7 && spec.pool !== 'driver' ? worker.createdAt + HOUR : 0, target ? target.story.firstAt + HOUR : 0);
      let b: Built;
      if (spec.forced) {
        b = build(spec, worker, now - 60 * DAY, Infinity);
        if (!place(b, notBefore)) continue;
      } else {
        // A duplicate comes in while the first is still open, usually within days of it.
        const open = target ? Math.min(target.story.closedAt ?? now, target.story.firstAt + 10 * DAY, now) - target.story.firstAt - 2 * HOUR : 0;
        const start = target ? target.story.firstAt + HOUR + rng.next() * Math.max(0, open) * 0.6 : (spec.start as number);
        if (start < notBefore || start > now - 5 * 60_000) continue;
        b = build(spec, worker, Math.round(start / 1000) * 1000, now);
      }
      // Only an open appeal can take a merge.
      if (target && b.story.merged && mergedAt(b) >= (target.story.closedAt ?? Infinity)) continue;
      if (target && b.story.merged) b.mergedInto = target;
      built.push(b);
      return;
    }
  };
  // Merges need an earlier appeal to merge into: everything else is told first.
  for (const spec of specs) if (spec.status !== 'merged') tellOne(spec, null);
  const targetsOf = new Map<AppealCategory, Built[]>();
  // (Not one left late: the scheduler would have moved it on before anyone merged into it.)
  for (const b of built) if (b.story.status !== 'rejected' && !b.spec.overdue) appendTo(targetsOf, b.spec.category, b);
  for (const spec of specs) {
    if (spec.status !== 'merged') continue;
    const inCategory = targetsOf.get(spec.category) ?? [];
    const targets = spec.pool === 'anchor' ? inCategory.filter((b) => b.origin.id === anchorId) : inCategory;
    // A target may leave no room before "now" (or before it closed) for the merge: another one is tried.
    for (let tries = 0, told = built.length; tries < 8 && targets.length && built.length === told; tries++) tellOne(spec, rng.pick(targets));
  }

  built.sort((a, b) => a.story.firstAt - b.story.firstAt || a.worker.id - b.worker.id);
  partDone('tell');
  const firstId = Number((await db.selectFrom('appeals').select((eb) => eb.fn.max<number>('id').as('maxId')).executeTakeFirst())?.maxId ?? 0) + 1;
  const idOf = new Map(built.map((b, i) => [b, firstId + i]));
  const usedCodes = new Set<string>();
  // Rows are written as they are made, a slice of appeals and then their events, so a million
  // appeals (and eight million events) are never all held as rows at once.
  const appealRows: Row[] = [];
  const eventRows: Row[] = [];
  const writeSlice = async () => {
    await db.transaction().execute(async (trx) => {
      await insertRows(trx, 'appeals', appealColumns, appealRows as never);
      await insertRows(trx, 'appealEvents', eventColumns, eventRows as never);
    });
    summary.appeals += appealRows.length;
    summary.appealEvents += eventRows.length;
    appealRows.length = 0;
    eventRows.length = 0;
  };
  await db.transaction().execute(async (trx) => {
    const updatedBy = users.sichuan ?? null;
    const rows = policies.map((p) => ({ ...p, updatedAt: iso(now - 30 * DAY), updatedBy }));
    if (rows.length) await trx.insertInto('slaPolicies').values(rows).execute();
  });
  const notifications: Row[] = [];
  for (const b of built) {
    if (!b.mergedInto) continue;
    // The appeal merged into gets a note of it, in its own timeline, from the handler who merged.
    const { story } = b.mergedInto;
    const merge = b.story.events.find((e) => e.toStatus === 'merged');
    if (!merge) continue;
    let at = merge.at;
    while (story.events.some((e) => e.at === at)) at += 1000;
    const holder = story.events.filter((e) => e.at < at && (e.kind === 'escalated' || e.kind === 'submitted')).pop();
    const event = { kind: 'merged', fromStatus: null, toStatus: null, visibility: 'internal', body: `#${idOf.get(b) as number}`, unitId: holder?.unitId ?? null, level: holder?.level ?? null, actorUserId: merge.actorUserId, breach: null, at } as const;
    story.events.splice(story.events.filter((e) => e.at < at).length, 0, { ...event });
  }
  for (const b of built) {
    const { story, spec, worker } = b;
    const id = idOf.get(b) as number;
    const target = b.mergedInto ? (idOf.get(b.mergedInto) ?? null) : null;
    if (target !== null) for (const e of story.events) if (e.toStatus === 'merged') e.body = words.mergedReason(target);
    const deadlines = story.stored;
    let code: string | null = null;
    while (spec.anonymous && (code === null || usedCodes.has(code))) code = trackingCodeOf(codes);
    if (code) usedCodes.add(code);
    // A member's entry of a demand raised in the contact log points at that entry.
    const contact = b.channel === 'member' ? worker.demands.filter((d) => d.at < story.firstAt && words.demandCategory[d.text] === spec.category).pop() : undefined;
    const located = text.chance(words.locatedCategories.has(spec.category) ? 0.6 : 0.05);
    const centre = words.cityCentres[worker.cityCode];
    const jitter = () => Math.round((text.next() - 0.5) * 1200) / 10_000;
    appealRows.push({
      id,
      category: spec.category,
      description: contact ? `${contact.text}。${b.description}` : b.description,
      platformId: worker.platformId,
      cityCode: worker.cityCode,
      lat: located && centre ? Math.round((centre[0] + jitter()) * 10_000) / 10_000 : null,
      lng: located && centre ? Math.round((centre[1] + jitter()) * 10_000) / 10_000 : null,
      address: located ? `${seedCity(worker.cityCode).name}${b.district}${text.pick(words.placeNames)}附近` : null,
      contactPreference: spec.anonymous ? 'none' : text.chance(0.25) ? 'phone' : 'in_app',
      anonymous: spec.anonymous ? 1 : 0,
      workerId: spec.anonymous ? null : worker.id,
      trackingCode: code,
      secretHash: code ? sha256Hex(`${code}:${codes.next()}`) : null,
      channel: b.channel,
      recordedBy: b.recordedBy,
      contactId: contact?.id ?? null,
      contactName: null,
      contactPhoneEnc: null,
      status: story.status,
      level: story.level,
      unitId: story.unit.id,
      unitPath: story.unit.path,
      originUnitId: b.origin.id,
      originUnitPath: b.origin.path,
      assigneeUserId: story.assignee,
      receivedAt: iso(story.receivedAt),
      acknowledgedAt: isoOrNull(story.acknowledgedAt),
      lastPublicReplyAt: isoOrNull(story.lastPublicReplyAt),
      answeredAt: isoOrNull(story.answeredAt),
      closedAt: isoOrNull(story.closedAt),
      acknowledgeBy: isoOrNull(deadlines.acknowledgeBy),
      nextUpdateBy: isoOrNull(deadlines.nextUpdateBy),
      resolveBy: isoOrNull(deadlines.resolveBy),
      dueAt: isoOrNull(deadlines.dueAt),
      acknowledgedOnTime: story.acknowledgedOnTime,
      resolvedOnTime: story.resolvedOnTime,
      delayReason: story.status === 'waiting_on_worker' ? story.delayReason : null,
      referredTo: story.referredTo,
      rejectReason: story.status === 'rejected' ? story.rejectReason : null,
      mergedIntoId: story.status === 'merged' ? target : null,
      rating: story.rating,
      feedback: story.feedback,
      reopenCount: story.reopenCount,
      version: story.version,
      createdAt: iso(story.firstAt),
      updatedAt: iso(story.changedAt),
    });
    for (const e of story.events) {
      const breachKey = e.breach ? `${e.breach.level}:${e.breach.clock}:${iso(e.breach.deadline)}` : e.autoConfirm && story.answeredAt !== null ? `auto-confirm:${iso(story.answeredAt)}` : null;
      eventRows.push({ appealId: id, kind: e.kind, fromStatus: e.fromStatus, toStatus: e.toStatus, visibility: e.visibility, body: e.body, unitId: e.unitId, level: e.level, actorUserId: e.actorUserId, breachKey, createdAt: iso(e.at) });
    }
    if (appealRows.length >= SLICE) await writeSlice();
    // The demo secretary's bell: the new appeals of the last two weeks, read once she acknowledged them.
    if (secretary && b.origin.id === secretary.unitId && story.firstAt >= now - 14 * DAY) {
      const by = story.firstAt + policyFor(policies, b.origin.path, spec.category).acknowledgeHours * HOUR;
      const chinaTime = iso(by + 8 * HOUR).slice(0, 16).replace('T', ' ');
      notifications.push({
        userId: secretary.userId,
        kind: 'appeal.new',
        appealId: id,
        title: `诉求 #${id}（${categoryNames[spec.category].zh}）`,
        body: `新诉求，请在 ${chinaTime}（北京时间）前受理。`,
        createdAt: iso(story.firstAt),
        readAt: isoOrNull(story.acknowledgedAt),
      });
    }
  }

  await writeSlice();
  if (engineOf(db) === 'postgres') {
    // Explicit ids do not advance the serial's sequence on PostgreSQL.
    await sql`select setval(pg_get_serial_sequence('appeals', 'id'), (select max(id) from appeals))`.execute(db);
  }
  await db.transaction().execute((trx) => insertRows(trx, 'notifications', ['userId', 'kind', 'appealId', 'title', 'body', 'createdAt', 'readAt'], notifications as never));
  partDone('write');
  return summary;
}

/** Appeals written directly need the rows through which each unit's inbox finds them, and their figure counts. */
async function rebuildAppealsDerived(db: Db, timings?: Record<string, number>): Promise<void> {
  const partDone = partTimer(timings);
  // (Writing the reach rows with their appeals, in appeal order, was slower than this rebuild at 1m, which
  // fills the inbox's index, unit first, unit by unit.)
  await rebuildAllAppealReach(db);
  partDone('reach');
  await rebuildAppealFigures(db);
  partDone('figures');
}
