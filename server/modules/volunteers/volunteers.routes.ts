// Volunteering (issue 5): teams and rosters, service records and the hours ledger, vanguard posts,
// community grid roles, and a person's own page. Each part registers its routes from its own file.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../core/deps.js';
import { registerGridRoutes } from './volunteers.grid.js';
import { registerLedgerRoutes } from './volunteers.ledger.js';
import { registerMeRoutes } from './volunteers.me.js';
import { registerPostRoutes } from './volunteers.posts.js';
import { registerRecordRoutes } from './volunteers.records.js';
import { registerRosterRoutes } from './volunteers.roster.js';
import { registerTeamRoutes } from './volunteers.teams.js';

export const volunteersRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  registerTeamRoutes(app, deps);
  registerRosterRoutes(app, deps);
  registerRecordRoutes(app, deps);
  registerLedgerRoutes(app, deps);
  registerPostRoutes(app, deps);
  registerGridRoutes(app, deps);
  registerMeRoutes(app, deps);
};
