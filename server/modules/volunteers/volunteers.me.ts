// A person's own volunteering on the phone page: their teams, the teams they may join, their hours and
// records, the posts they held and their grid roles. One's own data: not a read the audit log watches.
import type { AppDeps } from '../../core/deps.js';
import { type VolunteersApp, metaOf, tags, teamSummaryOf } from './volunteers.http.js';
import { gridRoleViewOf } from './volunteers.grid.js';
import { gridRolesOfWorker, joinableTeams, ledgerRowsOfPerson, membershipsOf, recordsOfPerson, termsOfMember, viewerOf } from './volunteers.queries.js';
import { recordViewOf } from './volunteers.records.js';
import { foldLedger, lineOf } from './volunteers.rules.js';
import { myVolunteeringSchema } from './volunteers.schema.js';

const RECENT_RECORDS = 50;

export function registerMeRoutes(app: VolunteersApp, deps: AppDeps): void {
  const { db } = deps;

  app.get(
    '/me/volunteering',
    { schema: { tags: [...tags, 'me'], summary: 'My teams, the teams I may join, my hours and records, my posts and grid roles', response: { 200: myVolunteeringSchema } } },
    async (request) => {
      const meta = metaOf(request, deps);
      const viewer = await viewerOf(db, meta.actor);
      const person = { workerId: viewer.workerId, memberId: viewer.memberId };
      const home = viewer.workerUnitPath ?? viewer.memberUnitPath;
      const [teams, ledger, records, posts, gridRoles] = await Promise.all([
        membershipsOf(db, person),
        ledgerRowsOfPerson(db, person),
        recordsOfPerson(db, person, RECENT_RECORDS),
        viewer.memberId !== null ? termsOfMember(db, viewer.memberId) : Promise.resolve([]),
        viewer.workerId !== null ? gridRolesOfWorker(db, viewer.workerId) : Promise.resolve([]),
      ]);
      const onTeam = new Set(teams.filter((t) => t.leftOn === null).map((t) => t.teamId));
      const joinable = home === null ? [] : await joinableTeams(db, lineOf(home), home);
      const { total } = foldLedger(ledger);
      return {
        teams,
        openTeams: joinable.filter((t) => !onTeam.has(t.id)).map(teamSummaryOf),
        totals: { verifiedHours: total.verifiedHours, pendingHours: total.pendingHours, verifiedRecords: total.verifiedRecords, pendingRecords: total.pendingRecords },
        records: records.map((r) => ({ ...recordViewOf(r), teamName: r.teamName })),
        posts: posts.map((p) => ({ id: p.id, postId: p.postId, title: p.title, unitName: p.unitName, fromDate: p.fromDate, toDate: p.toDate, endReason: p.endReason })),
        gridRoles: gridRoles.map(gridRoleViewOf),
      };
    },
  );
}
