// Check-in by QR code and the person-times it adds up to. The QR code and its link are for those who
// run the station (org.write on its unit): a worker holding the token could check in without coming, so
// org.read is not enough. Scanning is for workers; the figures are aggregates only.
import type { FastifyRequest } from 'fastify';
import { ensureAllowed, requireActor } from '../../core/actor.js';
import { recordAudit } from '../../core/audit.js';
import { chinaDate } from '../../core/clock.js';
import { conflict, forbidden, invalid } from '../../core/errors.js';
import { decodeCursor, toPage } from '../../core/paging.js';
import { scopePaths } from '../../core/scope.js';
import { isUniqueViolation } from '../../db/engine.js';
import { unitInScope } from '../org/org.scope.js';
import { checkInPath, checkInToken, qrSvg, validCheckInToken } from './stations.checkin.js';
import { type StationsApp, type StationsContext, stationOr404, tags, workerIdOrForbidden } from './stations.http.js';
import { findVisit } from './stations.queries.js';
import { monthOf } from './stations.rules.js';
import { checkInLinkSchema, idParamsSchema, visitBodySchema, visitSchema, visitSummaryQuerySchema, visitSummarySchema } from './stations.schema.js';
import { insertVisit } from './stations.visit-rollup.js';
import { type VisitWindow, YEAR } from './stations.visit-ranks.js';
import { visitSummary } from './stations.visit-summary.js';

/** The absolute URL a printed code opens: this server's own origin, as the request reached it. */
function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** The twelve months up to and including this one, in China, oldest first. */
function lastTwelveMonths(now: Date): string[] {
  const [year, month] = chinaDate(now).split('-').map(Number) as [number, number];
  return Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(year, month - 12 + i, 1));
    return d.toISOString().slice(0, 7);
  });
}

export function registerVisitRoutes(app: StationsApp, ctx: StationsContext): void {
  const { db, clock, config } = ctx;

  async function printableStation(request: FastifyRequest, id: number) {
    const station = await stationOr404(ctx, id);
    ensureAllowed(requireActor(request), 'org.write', station.unitPath, 'station');
    return station;
  }

  app.get(
    '/stations/:id/check-in-link',
    { schema: { tags, summary: 'The URL the station’s QR code encodes (for a printable page); org.write on its unit', params: idParamsSchema, response: { 200: checkInLinkSchema } } },
    async (request) => {
      const station = await printableStation(request, request.params.id);
      const token = checkInToken(config.secret, station.id);
      const path = checkInPath(station.id, token);
      return { url: `${originOf(request)}${path}`, path, token };
    },
  );

  app.get(
    '/stations/:id/qr.svg',
    { schema: { tags, summary: 'The station’s check-in QR code as SVG, to print; org.write on its unit', params: idParamsSchema } },
    async (request, reply) => {
      const station = await printableStation(request, request.params.id);
      const svg = await qrSvg(`${originOf(request)}${checkInPath(station.id, checkInToken(config.secret, station.id))}`);
      return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'private, max-age=3600').send(svg);
    },
  );

  app.post(
    '/stations/:id/visits',
    { schema: { tags, summary: 'Check in at a station with the token from its QR code; once a day per worker (a second scan answers 200 with the first visit)', params: idParamsSchema, body: visitBodySchema, response: { 201: visitSchema, 200: visitSchema } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const id = request.params.id;
      // The token is checked before the station is even read: a forged id learns nothing.
      if (!validCheckInToken(config.secret, id, request.body.token)) throw invalid('body.token', { zh: '二维码无效，请扫描站点张贴的二维码', en: 'this QR code is not valid; scan the code posted at the station' });
      const station = await stationOr404(ctx, id);
      if (station.status === 'closed') throw conflict({ zh: '该站点已关闭', en: 'This station is closed' });
      const workerId = await workerIdOrForbidden(ctx, actor, 'station.check_in');
      const now = clock.now();
      const visitedOn = chinaDate(now);
      const answer = (visit: { id: number; visitedOn: string; visitedAt: string }, alreadyCheckedIn: boolean) => ({ ...visit, stationId: station.id, stationName: station.name, alreadyCheckedIn });
      const earlier = await findVisit(db, station.id, workerId, visitedOn);
      if (earlier) return reply.code(200).send(answer(earlier, true));
      try {
        const visit = await db.transaction().execute(async (trx) => {
          const row = await insertVisit(trx, { stationId: station.id, workerId, userId: actor.userId, unitId: station.unitId, visitedOn, month: monthOf(visitedOn), visitedAt: now.toISOString() });
          await recordAudit(trx, { actor, action: 'station.visit', entityType: 'station', entityId: station.id, ip: request.ip, detail: { visitId: row.id }, at: now });
          return row;
        });
        return reply.code(201).send(answer(visit, false));
      } catch (error) {
        // Two scans racing: the unique index let one in; the other answers with that one.
        if (!isUniqueViolation(error)) throw error;
        const first = await findVisit(db, station.id, workerId, visitedOn);
        if (!first) throw error;
        return reply.code(200).send(answer(first, true));
      }
    },
  );

  app.get(
    '/stations/visits/summary',
    { schema: { tags, summary: 'Visit figures of a unit’s subtree: person-times and workers per month, and the stations by person-times, a page at a time (aggregates only; org.read)', querystring: visitSummaryQuerySchema, response: { 200: visitSummarySchema } } },
    async (request) => {
      const actor = requireActor(request);
      const months = request.query.month ? [request.query.month] : lastTwelveMonths(clock.now());
      // The cursor is the last station's (person-times, id); a listed station has at least one visit, so
      // both parts are positive integers, the cursor kind 'id'.
      const [visits, stationId] = decodeCursor(request.query.cursor, ['id', 'id']) ?? [];
      const after = visits !== undefined && stationId !== undefined ? { visits, stationId } : null;
      let roots: readonly string[] | 'all';
      if (request.query.unitId !== undefined) {
        roots = [(await unitInScope(db, actor, request.query.unitId, 'org.read')).path];
      } else {
        roots = scopePaths(actor, 'org.read');
        if (roots !== 'all' && roots.length === 0) throw forbidden('org.read');
      }
      const window: VisitWindow = request.query.month ? { months: 1, lastMonth: request.query.month } : { months: YEAR, lastMonth: months.at(-1)! };
      // Pre-aggregated rows of the scope (stations.visit-summary.ts), not the visits or stations beneath it.
      const figures = await visitSummary(db, { roots, months, window, after, limit: request.query.limit });
      const page = toPage(figures.stations, request.query.limit, (s) => [s.visits, s.stationId]);
      return { unitId: request.query.unitId ?? null, months, total: figures.total, stationsVisited: figures.stationsVisited, byMonth: figures.byMonth, byStation: page.items, nextCursor: page.nextCursor, cells: figures.cells };
    },
  );
}
