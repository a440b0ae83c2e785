// Figures per unit and the "key and difficult problems" (重点难点问题): open appeals that share a
// category, platform, city and week, shown as one problem and answerable together. Aggregates only:
// nothing here names a worker.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { requireActor } from '../../core/actor.js';
import { recordAudit } from '../../core/audit.js';
import type { AppDeps } from '../../core/deps.js';
import { AppError, invalid } from '../../core/errors.js';
import { type Actor, scopePaths } from '../../core/scope.js';
import type { AppealCategory } from '../../db/tables-appeals.js';
import type { Database } from '../../db/tables.js';
import { inSubtreePaths } from '../org/org.queries.js';
import { unitIdOf } from '../org/org.rules.js';
import { unitInScope } from '../org/org.scope.js';
import { appealFigures, weekOf } from './appeals.figures.rules.js';
import { ALL_UNITS, unitAppealFigures } from './appeals.figure-counts.js';
import { figureRowsQuery } from './appeals.reach.js';
import { replyToAppeal, transitionAppeal } from './appeals.handling.js';
import { answeredStatuses, closedStatuses } from './appeals.rules.js';
import { answerClusterBodySchema, answerClusterResultSchema, clusterSchema, clustersQuerySchema, figuresQuerySchema, figuresSchema } from './appeals.schema.js';

const tags = ['appeals (figures)'];
const WEEK = 7 * 86_400_000;

async function scopeFor(db: Kysely<Database>, actor: Actor, unitId: number | undefined, action: 'appeal.figures' | 'appeal.handle'): Promise<string[] | 'all'> {
  if (unitId === undefined) {
    const paths = scopePaths(actor, action);
    if (paths !== 'all' && paths.length === 0) throw new AppError(403, 'FORBIDDEN', { action });
    return paths;
  }
  return [(await unitInScope(db, actor, unitId, action)).path];
}

export const appealInsightRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, clock } = deps;

  app.get(
    '/appeal-figures',
    { schema: { tags, summary: 'Volume by category and week, median times, SLA compliance, satisfaction, open overdue', querystring: figuresQuerySchema, response: { 200: figuresSchema } } },
    async (request) => {
      const actor = requireActor(request);
      const scope = await scopeFor(db, actor, request.query.unitId, 'appeal.figures');
      const now = clock.now();
      const to = request.query.to ?? now.toISOString();
      const from = request.query.from ?? new Date(Date.parse(to) - 12 * WEEK).toISOString();
      if (Date.parse(from) >= Date.parse(to)) throw invalid('querystring.from', { zh: '开始时间应早于结束时间', en: 'from must be before to' });
      if (Date.parse(to) - Date.parse(from) > 60 * WEEK) throw invalid('querystring.from', { zh: '一次最多统计 60 周', en: 'at most 60 weeks at a time' });
      const window = { from: new Date(from).toISOString(), to: new Date(to).toISOString(), now: now.toISOString() };
      // One unit (or the whole country) reads its counts; several granted subtrees may share appeals, which
      // counts per unit cannot tell apart, so they read the rows.
      if (scope === 'all' || scope.length === 1) {
        const unit = scope === 'all' ? ALL_UNITS : { id: unitIdOf(scope[0]!), path: scope[0]! };
        return { from, to, ...(await unitAppealFigures<AppealCategory>(db, unit, window)) };
      }
      const rows = await figureRowsQuery(db, scope, window.from, window.to).execute();
      return { from, to, ...appealFigures(rows, { from, to, now: window.now, closed: closedStatuses }) };
    },
  );

  async function openInScope(scope: string[] | 'all', holderOnly: boolean) {
    let query = db
      .selectFrom('appeals as a')
      .leftJoin('platforms as p', 'p.id', 'a.platformId')
      .select(['a.id', 'a.category', 'a.platformId', 'p.name as platformName', 'a.cityCode', 'a.createdAt', 'a.dueAt', 'a.unitPath'])
      .where('a.status', 'not in', [...closedStatuses, ...answeredStatuses]);
    if (scope !== 'all') query = query.where(holderOnly ? inSubtreePaths('a.unitPath', scope) : (eb) => eb.or([inSubtreePaths('a.unitPath', scope), inSubtreePaths('a.originUnitPath', scope)]));
    return query.orderBy('a.createdAt').orderBy('a.id').execute();
  }

  app.get(
    '/appeal-clusters',
    { schema: { tags, summary: 'Key and difficult problems: open appeals grouped by category × platform × city × week', querystring: clustersQuerySchema, response: { 200: z.object({ items: z.array(clusterSchema) }) } } },
    async (request) => {
      const actor = requireActor(request);
      const scope = await scopeFor(db, actor, request.query.unitId, 'appeal.figures');
      const now = clock.now().toISOString();
      const groups = new Map<string, z.infer<typeof clusterSchema>>();
      for (const row of await openInScope(scope, false)) {
        const week = weekOf(row.createdAt);
        const key = [row.category, row.platformId, row.cityCode, week].join('|');
        const group = groups.get(key) ?? { category: row.category, platformId: row.platformId, platformName: row.platformName, cityCode: row.cityCode, week, count: 0, overdue: 0, oldestCreatedAt: row.createdAt, appealIds: [] };
        group.count++;
        if (row.dueAt !== null && row.dueAt < now) group.overdue++;
        if (group.appealIds.length < 200) group.appealIds.push(row.id);
        groups.set(key, group);
      }
      const items = [...groups.values()].filter((g) => g.count >= request.query.minCount).sort((a, b) => b.count - a.count || a.oldestCreatedAt.localeCompare(b.oldestCreatedAt));
      return { items };
    },
  );

  app.post(
    '/appeal-clusters/answer',
    { schema: { tags, summary: 'Answer every open appeal of one cluster with the same public reply (and optionally resolve them)', body: answerClusterBodySchema, response: { 200: answerClusterResultSchema } } },
    async (request) => {
      const actor = requireActor(request);
      const b = request.body;
      const scope = await scopeFor(db, actor, b.unitId, 'appeal.handle');
      const members = (await openInScope(scope, true)).filter((r) => r.category === b.category && r.platformId === b.platformId && r.cityCode === b.cityCode && weekOf(r.createdAt) === b.week);
      let answered = 0;
      let resolved = 0;
      let skipped = 0;
      for (const { id } of members) {
        const now = clock.now();
        try {
          // One transaction per appeal: one that someone else is changing right now is skipped, not the batch.
          await db.transaction().execute(async (trx) => {
            if (!b.resolve) {
              await replyToAppeal(trx, actor, id, { body: b.body, visibility: 'public' }, now, request.ip);
              return;
            }
            const current = await trx.selectFrom('appeals').select('status').where('id', '=', id).executeTakeFirstOrThrow();
            if (current.status === 'submitted' || current.status === 'reopened') await transitionAppeal(trx, actor, id, { to: 'acknowledged' }, now, request.ip);
            await transitionAppeal(trx, actor, id, { to: 'resolved', reason: b.body }, now, request.ip);
            resolved++;
          });
          answered++;
        } catch (error) {
          if (!(error instanceof AppError) || error.status >= 500) throw error;
          skipped++;
        }
      }
      await recordAudit(db, { actor, action: 'appeal.answer_cluster', entityType: 'org_unit', entityId: b.unitId, ip: request.ip, detail: { category: b.category, platformId: b.platformId, cityCode: b.cityCode, week: b.week, answered, resolved, skipped }, at: clock.now() });
      return { answered, resolved, skipped };
    },
  );
};
