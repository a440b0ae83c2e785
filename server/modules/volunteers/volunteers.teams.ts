// Teams: staff who manage a unit found, rename, hand over and close its teams; anyone reading the unit
// sees the teams, and only those who may read people (or the team's leader) see who is on them.
import { recordAudit } from '../../core/audit.js';
import type { AppDeps } from '../../core/deps.js';
import { invalid, notFound } from '../../core/errors.js';
import { decodeCursor, pageOf, toPage } from '../../core/paging.js';
import { isUniqueViolation } from '../../db/engine.js';
import { type Meta, type VolunteersApp, decide, listScope, memberFor, metaOf, notAfterToday, ruleViolation, tags, teamOr404, teamSummaryOf, unitFor } from './volunteers.http.js';
import { type Db, type TeamRow, activeEntryOf, insertEntry, listTeams, rosterOf, viewerOf } from './volunteers.queries.js';
import { handOver, teamVisibleTo } from './volunteers.roster.js';
import { type Viewer, mayIdentify, namesOnly, refusals, rosterReadAccess, rosterWriteAccess, teamManageAccess } from './volunteers.rules.js';
import {
  closeTeamBodySchema,
  createTeamBodySchema,
  idParamsSchema,
  listTeamsQuerySchema,
  teamDetailSchema,
  teamSummarySchema,
  updateTeamBodySchema,
} from './volunteers.schema.js';

const duplicateName = (error: unknown) => {
  throw isUniqueViolation(error) ? ruleViolation(refusals.duplicateName) : error;
};

/**
 * A team as this viewer may see it. The roster is a list of people's names: it is shown to the leader
 * and to staff who read people there, and every such read is audited (`audit` is false only for the
 * answer to a write, which the write's own audit row covers).
 */
async function teamDetail(db: Db, viewer: Viewer, team: TeamRow, meta: Meta, audit: boolean) {
  const mayReadNames = rosterReadAccess(viewer, team) === 'allowed';
  const rows = mayReadNames ? await rosterOf(db, team.id, true) : null;
  const roster = rows && !mayIdentify(viewer, team) ? rows.map(namesOnly) : rows;
  if (roster && audit) {
    await recordAudit(db, { actor: meta.actor, action: 'volunteer_team.roster_read', entityType: 'volunteer_team', entityId: team.id, ip: meta.ip, detail: { entries: roster.length }, at: meta.now });
  }
  return {
    ...teamSummaryOf(team),
    closeReason: team.closeReason,
    leaderMemberId: team.leaderMemberId,
    roster,
    canManage: teamManageAccess(viewer, team) === 'allowed',
    canVerify: rosterWriteAccess(viewer, team) === 'allowed',
  };
}

export function registerTeamRoutes(app: VolunteersApp, deps: AppDeps): void {
  const { db } = deps;

  app.post(
    '/volunteer-teams',
    { schema: { tags, summary: 'Found a team in a unit, led by a member (staff who manage the unit)', body: createTeamBodySchema, response: { 201: teamDetailSchema } } },
    async (request, reply) => {
      const meta = metaOf(request, deps);
      const body = request.body;
      const unit = await unitFor(db, meta.actor, body.unitId, 'org.write', { open: true });
      const leader = await memberFor(db, meta.actor, body.leaderMemberId);
      notAfterToday('body.foundedOn', body.foundedOn, meta.today);
      const foundedOn = body.foundedOn ?? meta.today;
      const id = await db
        .transaction()
        .execute(async (trx) => {
          const at = meta.now.toISOString();
          const row = await trx
            .insertInto('volunteerTeams')
            .values({ unitId: unit.id, unitPath: unit.path, name: body.name, description: body.description ?? null, leaderMemberId: leader.id, foundedOn, closedOn: null, closeReason: null, createdBy: meta.actor.userId, createdAt: at, updatedAt: at })
            .returning('id')
            .executeTakeFirstOrThrow();
          await insertEntry(trx, { teamId: row.id, workerId: null, memberId: leader.id, role: 'leader', joinedOn: foundedOn, addedBy: meta.actor.userId, now: meta.now });
          await recordAudit(trx, { actor: meta.actor, action: 'volunteer_team.create', entityType: 'volunteer_team', entityId: row.id, ip: meta.ip, detail: { unitId: unit.id, name: body.name, leaderMemberId: leader.id }, at: meta.now });
          return row.id;
        })
        .catch(duplicateName);
      const viewer = await viewerOf(db, meta.actor);
      return reply.code(201).send(await teamDetail(db, viewer, await teamOr404(db, id), meta, false));
    },
  );

  app.patch(
    '/volunteer-teams/:id',
    { schema: { tags, summary: 'Rename, describe or hand over a team (staff who manage its unit)', params: idParamsSchema, body: updateTeamBodySchema, response: { 200: teamDetailSchema } } },
    async (request) => {
      const meta = metaOf(request, deps);
      const viewer = await viewerOf(db, meta.actor);
      const team = await teamOr404(db, request.params.id);
      decide(teamManageAccess(viewer, team), () => notFound('volunteer_team'), 'org.write');
      if (team.closedOn) throw ruleViolation(refusals.teamClosed);
      const body = request.body;
      const leader = body.leaderMemberId !== undefined ? await memberFor(db, meta.actor, body.leaderMemberId) : null;
      await db
        .transaction()
        .execute(async (trx) => {
          const changes = { ...(body.name !== undefined ? { name: body.name } : {}), ...(body.description !== undefined ? { description: body.description } : {}) };
          if (Object.keys(changes).length > 0) {
            await trx.updateTable('volunteerTeams').set({ ...changes, updatedAt: meta.now.toISOString() }).where('id', '=', team.id).execute();
          }
          if (leader && leader.id !== team.leaderMemberId) await handOver(trx, team, leader.id, meta);
          await recordAudit(trx, { actor: meta.actor, action: 'volunteer_team.update', entityType: 'volunteer_team', entityId: team.id, ip: meta.ip, detail: { ...changes, ...(leader ? { leaderMemberId: { from: team.leaderMemberId, to: leader.id } } : {}) }, at: meta.now });
        })
        .catch(duplicateName);
      return teamDetail(db, viewer, await teamOr404(db, team.id), meta, false);
    },
  );

  app.post(
    '/volunteer-teams/:id/close',
    { schema: { tags, summary: 'Close a team: everyone leaves on that day; records and hours stay', params: idParamsSchema, body: closeTeamBodySchema, response: { 200: teamDetailSchema } } },
    async (request) => {
      const meta = metaOf(request, deps);
      const viewer = await viewerOf(db, meta.actor);
      const team = await teamOr404(db, request.params.id);
      decide(teamManageAccess(viewer, team), () => notFound('volunteer_team'), 'org.write');
      if (team.closedOn) throw ruleViolation(refusals.teamClosed);
      const closedOn = request.body.closedOn ?? meta.today;
      notAfterToday('body.closedOn', closedOn, meta.today);
      if (closedOn < team.foundedOn) throw invalid('body.closedOn', { zh: '早于服务队成立日期', en: 'is before the team was founded' });
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('volunteerTeams').set({ closedOn, closeReason: request.body.reason, updatedAt: meta.now.toISOString() }).where('id', '=', team.id).where('closedOn', 'is', null).execute();
        await trx.updateTable('volunteerTeamMembers').set({ leftOn: closedOn }).where('teamId', '=', team.id).where('leftOn', 'is', null).execute();
        await recordAudit(trx, { actor: meta.actor, action: 'volunteer_team.close', entityType: 'volunteer_team', entityId: team.id, ip: meta.ip, detail: { closedOn, reason: request.body.reason }, at: meta.now });
      });
      return teamDetail(db, viewer, await teamOr404(db, team.id), meta, false);
    },
  );

  app.get(
    '/volunteer-teams',
    { schema: { tags, summary: 'Teams of a unit’s subtree (no names: anyone reading the unit)', querystring: listTeamsQuerySchema, response: { 200: pageOf(teamSummarySchema) } } },
    async (request) => {
      const meta = metaOf(request, deps);
      const q = request.query;
      const scope = await listScope(db, meta.actor, 'org.read', q.unitId);
      const cursor = decodeCursor(q.cursor, ['id']);
      const rows = await listTeams(db, { scope, status: q.status, afterId: cursor ? Number(cursor[0]) : null, limit: q.limit });
      const page = toPage(rows, q.limit, (r) => [r.id]);
      return { items: page.items.map(teamSummaryOf), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/volunteer-teams/:id',
    {
      schema: {
        tags,
        summary: 'A team; with its roster for the leader and for staff who read people (each such read is audited)',
        params: idParamsSchema,
        response: { 200: teamDetailSchema },
      },
    },
    async (request) => {
      const meta = metaOf(request, deps);
      const viewer = await viewerOf(db, meta.actor);
      const team = await teamOr404(db, request.params.id);
      const onRoster = (await activeEntryOf(db, team.id, viewer)) !== undefined;
      // Its people, the units of its line, and staff reading its unit see the team; to anyone else it does not exist.
      if (!onRoster && !teamVisibleTo(viewer, team)) throw notFound('volunteer_team');
      return teamDetail(db, viewer, team, meta, true);
    },
  );
}
