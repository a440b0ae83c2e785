// The hours ledger of a unit's subtree: totals per team and for the unit to anyone reading the unit
// (aggregates name no one), and per person with names to those who read people — each such read audited.
import type { FastifyRequest } from 'fastify';
import { recordAudit } from '../../core/audit.js';
import type { AppDeps } from '../../core/deps.js';
import { invalid } from '../../core/errors.js';
import type { Action } from '../../core/scope.js';
import { type VolunteersApp, metaOf, tags, unitFor } from './volunteers.http.js';
import { type Db, ledgerRows, namesOf, teamNamesIn } from './volunteers.queries.js';
import { foldLedger, ledgerPeriod, personKeyOf } from './volunteers.rules.js';
import { hoursQuerySchema, ledgerQuerySchema, ledgerSchema, unitHoursSchema } from './volunteers.schema.js';

async function ledgerOf(db: Db, request: FastifyRequest, deps: AppDeps, query: { unitId: number; from?: string; to?: string }, action: Action) {
  const meta = metaOf(request, deps);
  const unit = await unitFor(db, meta.actor, query.unitId, action);
  const period = ledgerPeriod(query, meta.today);
  if ('refusal' in period) throw invalid('querystring.from', period.refusal);
  const [rows, teams] = await Promise.all([ledgerRows(db, unit.path, period.from, period.to), teamNamesIn(db, unit.path)]);
  const folded = foldLedger(rows);
  const zero = { verifiedHours: 0, pendingHours: 0, verifiedRecords: 0, pendingRecords: 0, volunteers: 0 };
  // Every team of the subtree appears, those with no hours in the period too: a quiet team is news as well.
  const teamRows = teams
    .map((t) => ({ teamId: t.id, name: t.name, ...(folded.teams.get(t.id) ?? zero) }))
    .sort((a, b) => b.verifiedHours - a.verifiedHours || a.teamId - b.teamId);
  return { meta, unit, folded, body: { unitId: unit.id, unitName: unit.name, from: period.from, to: period.to, total: folded.total, teams: teamRows } };
}

export function registerLedgerRoutes(app: VolunteersApp, deps: AppDeps): void {
  const { db } = deps;

  app.get(
    '/volunteers/hours',
    { schema: { tags, summary: 'Verified and pending hours per team and for a unit’s subtree (aggregates only)', querystring: hoursQuerySchema, response: { 200: unitHoursSchema } } },
    async (request) => (await ledgerOf(db, request, deps, request.query, 'org.read')).body,
  );

  app.get(
    '/volunteers/ledger',
    {
      schema: {
        tags,
        summary: 'The hours ledger with a row per person (names): for those who read people in the unit; every read is audited',
        querystring: ledgerQuerySchema,
        response: { 200: ledgerSchema },
      },
    },
    async (request) => {
      const { meta, unit, folded, body } = await ledgerOf(db, request, deps, request.query, 'person.read');
      const shown = folded.people.slice(0, request.query.limit);
      const names = await namesOf(db, shown);
      await recordAudit(db, {
        actor: meta.actor,
        action: 'volunteer.ledger_read',
        entityType: 'org_unit',
        entityId: unit.id,
        ip: meta.ip,
        detail: { from: body.from, to: body.to, people: shown.length },
        at: meta.now,
      });
      return {
        ...body,
        people: shown.map((p) => ({ ...p, name: names.get(personKeyOf(p)) ?? null })),
        peopleTotal: folded.people.length,
      };
    },
  );
}
