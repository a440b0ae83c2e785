// What the stations route files share: the app type they register on, the index they keep in step,
// and the loaders every handler starts with.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../core/deps.js';
import { AppError, notFound } from '../../core/errors.js';
import type { Actor } from '../../core/scope.js';
import type { LiveStationIndex } from './stations.index.js';
import { type Station, findStation, workerIdOfUser } from './stations.queries.js';

export type StationsApp = Parameters<FastifyPluginAsyncZod<AppDeps>>[0];
export type StationsContext = AppDeps & { index: LiveStationIndex<Station> };

export const tags = ['stations'];

export async function stationOr404(deps: AppDeps, id: number): Promise<Station> {
  const station = await findStation(deps.db, id);
  if (!station) throw notFound('station');
  return station;
}

/** Check-ins and ratings come from workers: the account must be linked to a worker record. */
export async function workerIdOrForbidden(deps: AppDeps, actor: Actor, action: string): Promise<number> {
  const workerId = await workerIdOfUser(deps.db, actor.userId);
  if (workerId === null) throw new AppError(403, 'FORBIDDEN', { action });
  return workerId;
}
