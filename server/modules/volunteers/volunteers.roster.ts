// Rosters: a worker or member joins and leaves on their own; the leader or staff add and remove people;
// the leader is handed over, never left empty. Anyone may join — membership is asked only of the leader.
import { recordAudit } from '../../core/audit.js';
import type { AppDeps } from '../../core/deps.js';
import { forbidden, invalid, notFound } from '../../core/errors.js';
import { authorize } from '../../core/scope.js';
import { isUniqueViolation } from '../../db/engine.js';
import { type Meta, type VolunteersApp, decide, memberFor, metaOf, notAfterToday, ruleViolation, tags, teamOr404, workerFor } from './volunteers.http.js';
import { type Db, type TeamRow, activeEntryOf, findEntry, insertEntry, linkedRecordsOf, rosterOf, viewerOf } from './volunteers.queries.js';
import { type Viewer, mayIdentify, mayJoin, namesOnly, refusals, rosterWriteAccess, teamManageAccess } from './volunteers.rules.js';
import { addToRosterBodySchema, idParamsSchema, membershipSchema, rosterEntryParamsSchema, rosterEntrySchema } from './volunteers.schema.js';

/**
 * Makes a member the team's leader: the old leader stays on as a volunteer, and the new one's place
 * on the roster (under either of their records) becomes the leader's place. Run inside a transaction.
 */
export async function handOver(trx: Db, team: Pick<TeamRow, 'id'>, memberId: number, meta: Meta): Promise<void> {
  const current = await trx.selectFrom('volunteerTeamMembers').selectAll().where('teamId', '=', team.id).where('role', '=', 'leader').where('leftOn', 'is', null).executeTakeFirst();
  if (current?.memberId === memberId) return;
  if (current) await trx.updateTable('volunteerTeamMembers').set({ role: 'volunteer' }).where('id', '=', current.id).execute();
  const existing = await activeEntryOf(trx, team.id, { workerId: null, memberId });
  if (existing?.memberId === memberId) {
    await trx.updateTable('volunteerTeamMembers').set({ role: 'leader' }).where('id', '=', existing.id).execute();
  } else {
    // On the roster as a worker: that stint ends and the member's begins, as the leader is always a member.
    if (existing) await trx.updateTable('volunteerTeamMembers').set({ leftOn: meta.today }).where('id', '=', existing.id).execute();
    await insertEntry(trx, { teamId: team.id, workerId: null, memberId, role: 'leader', joinedOn: meta.today, addedBy: meta.actor.userId, now: meta.now });
  }
  await trx.updateTable('volunteerTeams').set({ leaderMemberId: memberId, updatedAt: meta.now.toISOString() }).where('id', '=', team.id).execute();
}

/** Whether a person (not staff) may find this team: their unit's line, or a grant that reads its unit. */
export function teamVisibleTo(viewer: Viewer & { workerUnitPath: string | null; memberUnitPath: string | null }, team: TeamRow): boolean {
  return mayJoin(viewer.workerUnitPath, team.unitPath) || mayJoin(viewer.memberUnitPath, team.unitPath) || authorize(viewer.actor, 'org.read', team.unitPath) === 'allowed';
}

export function registerRosterRoutes(app: VolunteersApp, deps: AppDeps): void {
  const { db } = deps;

  app.post(
    '/volunteer-teams/:id/join',
    { schema: { tags, summary: 'Join a team as oneself (a worker or a member; membership is never asked)', params: idParamsSchema, response: { 201: membershipSchema } } },
    async (request, reply) => {
      const meta = metaOf(request, deps);
      const viewer = await viewerOf(db, meta.actor);
      const team = await teamOr404(db, request.params.id);
      if (!teamVisibleTo(viewer, team)) throw notFound('volunteer_team');
      // A worker joins as the worker even when also a member: the roster need not say who is a member.
      const person = viewer.workerId !== null ? { workerId: viewer.workerId, memberId: null } : viewer.memberId !== null ? { workerId: null, memberId: viewer.memberId } : null;
      if (person === null) throw forbidden('volunteer_team.join');
      if (team.closedOn) throw ruleViolation(refusals.teamClosed);
      if (await activeEntryOf(db, team.id, person)) throw ruleViolation(refusals.alreadyOnRoster);
      const entry = await db
        .transaction()
        .execute(async (trx) => {
          const row = await insertEntry(trx, { teamId: team.id, ...person, role: 'volunteer', joinedOn: meta.today, addedBy: meta.actor.userId, now: meta.now });
          await recordAudit(trx, { actor: meta.actor, action: 'volunteer_team.join', entityType: 'volunteer_team', entityId: team.id, ip: meta.ip, detail: { entryId: row.id }, at: meta.now });
          return row;
        })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? ruleViolation(refusals.alreadyOnRoster) : error;
        });
      return reply.code(201).send(entry);
    },
  );

  app.post(
    '/volunteer-teams/:id/leave',
    { schema: { tags, summary: 'Leave a team (the leader hands the team over first)', params: idParamsSchema, response: { 200: membershipSchema } } },
    async (request) => {
      const meta = metaOf(request, deps);
      const viewer = await viewerOf(db, meta.actor);
      const team = await teamOr404(db, request.params.id);
      const entry = await activeEntryOf(db, team.id, viewer);
      if (!entry) {
        if (!teamVisibleTo(viewer, team)) throw notFound('volunteer_team');
        throw ruleViolation(refusals.notOnRoster);
      }
      if (entry.role === 'leader') throw ruleViolation(refusals.leaderCannotLeave);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('volunteerTeamMembers').set({ leftOn: meta.today }).where('id', '=', entry.id).execute();
        await recordAudit(trx, { actor: meta.actor, action: 'volunteer_team.leave', entityType: 'volunteer_team', entityId: team.id, ip: meta.ip, detail: { entryId: entry.id }, at: meta.now });
      });
      return { ...entry, leftOn: meta.today };
    },
  );

  app.post(
    '/volunteer-teams/:id/roster',
    {
      schema: {
        tags,
        summary: 'Add a worker or member to the roster (the leader or staff); role leader hands the team over (staff; members only)',
        params: idParamsSchema,
        body: addToRosterBodySchema,
        response: { 201: rosterEntrySchema },
      },
    },
    async (request, reply) => {
      const meta = metaOf(request, deps);
      const viewer = await viewerOf(db, meta.actor);
      const team = await teamOr404(db, request.params.id);
      const body = request.body;
      decide(rosterWriteAccess(viewer, team), () => notFound('volunteer_team'), 'org.write');
      if (body.role === 'leader') decide(teamManageAccess(viewer, team), () => notFound('volunteer_team'), 'org.write');
      if (team.closedOn) throw ruleViolation(refusals.teamClosed);
      notAfterToday('body.joinedOn', body.joinedOn, meta.today);
      if (body.joinedOn !== undefined && body.joinedOn < team.foundedOn) throw invalid('body.joinedOn', { zh: '早于服务队成立日期', en: 'is before the team was founded' });
      // The leader may add people of the team's own line; staff anyone they may read.
      const byLeader = (path: string | null) => mayJoin(path, team.unitPath);
      let person = body.workerId !== undefined ? { workerId: (await workerFor(db, meta.actor, body.workerId, byLeader)).id, memberId: null as number | null } : { workerId: null as number | null, memberId: (await memberFor(db, meta.actor, body.memberId as number)).id };
      if (body.role === 'leader') {
        // Member-led: a worker can lead only as the member they also are.
        const linked = await linkedRecordsOf(db, person);
        if (linked.memberId === null) throw ruleViolation(refusals.leaderMustBeMember);
        person = { workerId: null, memberId: linked.memberId };
        await db.transaction().execute(async (trx) => {
          await handOver(trx, team, linked.memberId as number, meta);
          await recordAudit(trx, { actor: meta.actor, action: 'volunteer_team.leader_change', entityType: 'volunteer_team', entityId: team.id, ip: meta.ip, detail: { from: team.leaderMemberId, to: linked.memberId }, at: meta.now });
        });
      } else {
        if (await activeEntryOf(db, team.id, person)) throw ruleViolation(refusals.alreadyOnRoster);
        await db
          .transaction()
          .execute(async (trx) => {
            const row = await insertEntry(trx, { teamId: team.id, ...person, role: 'volunteer', joinedOn: body.joinedOn ?? meta.today, addedBy: meta.actor.userId, now: meta.now });
            await recordAudit(trx, { actor: meta.actor, action: 'volunteer_team.roster_add', entityType: 'volunteer_team', entityId: team.id, ip: meta.ip, detail: { entryId: row.id, ...person }, at: meta.now });
          })
          .catch((error: unknown) => {
            throw isUniqueViolation(error) ? ruleViolation(refusals.alreadyOnRoster) : error;
          });
      }
      const roster = await rosterOf(db, team.id, false);
      const added = roster.find((r) => (person.workerId !== null ? r.workerId === person.workerId : r.memberId === person.memberId));
      if (!added) throw notFound('volunteer_team');
      return reply.code(201).send(mayIdentify(viewer, team) ? added : namesOnly(added));
    },
  );

  app.delete(
    '/volunteer-teams/:id/roster/:entryId',
    { schema: { tags, summary: 'Take someone off the roster (the leader or staff); their history and hours stay', params: rosterEntryParamsSchema, response: { 200: membershipSchema } } },
    async (request) => {
      const meta = metaOf(request, deps);
      const viewer = await viewerOf(db, meta.actor);
      const team = await teamOr404(db, request.params.id);
      decide(rosterWriteAccess(viewer, team), () => notFound('volunteer_team'), 'org.write');
      const entry = await findEntry(db, team.id, request.params.entryId);
      if (!entry) throw notFound('volunteer_team');
      if (entry.leftOn !== null) throw ruleViolation(refusals.notOnRoster);
      if (entry.role === 'leader') throw ruleViolation(refusals.leaderCannotLeave);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('volunteerTeamMembers').set({ leftOn: meta.today }).where('id', '=', entry.id).execute();
        await recordAudit(trx, { actor: meta.actor, action: 'volunteer_team.roster_remove', entityType: 'volunteer_team', entityId: team.id, ip: meta.ip, detail: { entryId: entry.id }, at: meta.now });
      });
      return { ...entry, leftOn: meta.today };
    },
  );
}
