// Creating, changing and closing stations: who may (org.write on the running unit; system admins for
// stations without one), what is checked, and the audit row written in the same transaction.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { ensureAllowed } from '../../core/actor.js';
import { recordAudit } from '../../core/audit.js';
import { AppError, conflict, invalid, notFound } from '../../core/errors.js';
import type { Actor } from '../../core/scope.js';
import type { StationsTable } from '../../db/tables-stations.js';
import type { Database, OrgUnit } from '../../db/tables.js';
import { findUnit } from '../org/org.queries.js';
import { type Station, findStation } from './stations.queries.js';
import type { closeStationBodySchema, createStationBodySchema, updateStationBodySchema } from './stations.schema.js';
import { fromGcj02 } from './stations.views.js';

type Db = Kysely<Database>;
type CreateBody = z.infer<typeof createStationBodySchema>;
type UpdateBody = z.infer<typeof updateStationBodySchema>;
type Meta = { actor: Actor; ip: string; now: Date };

/** The unit that is to run a station, checked: it exists, is open, and the actor may write there. */
async function runningUnit(db: Db, actor: Actor, unitId: number | null): Promise<OrgUnit | null> {
  if (unitId === null) {
    // Only system admins keep stations outside the tree (authorize answers 'allowed' for them alone).
    ensureAllowed(actor, 'org.write', null);
    return null;
  }
  const unit = await findUnit(db, unitId);
  if (!unit) throw notFound('org_unit');
  ensureAllowed(actor, 'org.write', unit.path);
  if (unit.closedOn) throw new AppError(409, 'UNIT_CLOSED', { name: unit.name, closedOn: unit.closedOn });
  return unit;
}

async function checkPlatform(db: Db, platformId: number | null | undefined): Promise<void> {
  if (platformId === null || platformId === undefined) return;
  const platform = await db.selectFrom('platforms').select('id').where('id', '=', platformId).executeTakeFirst();
  if (!platform) throw invalid('body.platformId', { zh: '没有这个平台', en: 'no such platform' });
}

function positionOf(body: { lat: number; lng: number; coordinateSystem: 'wgs84' | 'gcj02' }): { lat: number; lng: number } {
  return body.coordinateSystem === 'gcj02' ? fromGcj02(body.lat, body.lng) : { lat: body.lat, lng: body.lng };
}

/**
 * The updated_at of a write: now, but never at or before the newest row's. Other processes notice
 * writes by max(updated_at) (stations.index.ts); a server whose clock runs a little behind would
 * otherwise write a stamp that changes nothing, and its change would go unseen elsewhere.
 */
async function writeTime(db: Db, now: Date): Promise<string> {
  const row = await db.selectFrom('stations').select((eb) => eb.fn.max('updatedAt').as('latest')).executeTakeFirst();
  const latest = row?.latest ? Date.parse(String(row.latest)) : 0;
  return new Date(Math.max(now.getTime(), latest + 1)).toISOString();
}

// A city-level code of the running unit; a province committee's 510000 says nothing about the spot.
const cityOfUnit = (unit: OrgUnit | null) => (unit?.cityCode && !unit.cityCode.endsWith('0000') ? unit.cityCode : null);

export async function createStation(db: Db, body: CreateBody, meta: Meta): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const unit = await runningUnit(trx, meta.actor, body.unitId ?? null);
    await checkPlatform(trx, body.platformId);
    const at = await writeTime(trx, meta.now);
    const values = {
      name: body.name,
      kind: body.kind,
      unitId: unit?.id ?? null,
      operatorName: body.operatorName ?? null,
      platformId: body.platformId ?? null,
      cityCode: body.cityCode ?? cityOfUnit(unit),
      address: body.address,
      ...positionOf(body),
      services: JSON.stringify([...new Set(body.services)]),
      hours: JSON.stringify(body.hours),
      capacity: body.capacity ?? null,
      contactPhone: body.contactPhone ?? null,
      description: body.description ?? null,
      status: body.status,
      statusNote: body.statusNote ?? null,
      closedAt: null,
      createdBy: meta.actor.userId,
      createdAt: at,
      updatedAt: at,
    };
    const { id } = await trx.insertInto('stations').values(values).returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, { actor: meta.actor, action: 'station.create', entityType: 'station', entityId: id, ip: meta.ip, detail: { name: body.name, kind: body.kind, unitId: values.unitId }, at: meta.now });
    return id;
  });
}

/** The station, loaded for a write: it exists, the actor may write on its unit, and it is not closed. */
async function writableStation(db: Db, actor: Actor, id: number): Promise<Station> {
  const station = await findStation(db, id);
  if (!station) throw notFound('station');
  ensureAllowed(actor, 'org.write', station.unitPath, 'station');
  if (station.status === 'closed') throw conflict({ zh: '该站点已关闭，不能再修改', en: 'This station is closed and can no longer be changed' });
  return station;
}

export async function updateStation(db: Db, id: number, body: UpdateBody, meta: Meta): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const station = await writableStation(trx, meta.actor, id);
    const changes: Partial<Omit<StationsTable, 'id'>> = {};
    if (body.unitId !== undefined && body.unitId !== station.unitId) changes.unitId = (await runningUnit(trx, meta.actor, body.unitId))?.id ?? null;
    if (body.platformId !== undefined) {
      await checkPlatform(trx, body.platformId);
      changes.platformId = body.platformId;
    }
    if (body.lat !== undefined && body.lng !== undefined) Object.assign(changes, positionOf({ lat: body.lat, lng: body.lng, coordinateSystem: body.coordinateSystem }));
    if (body.services !== undefined) changes.services = JSON.stringify([...new Set(body.services)]);
    if (body.hours !== undefined) changes.hours = JSON.stringify(body.hours);
    const plain = ['name', 'kind', 'operatorName', 'cityCode', 'address', 'capacity', 'contactPhone', 'description', 'status', 'statusNote'] as const;
    for (const field of plain) if (body[field] !== undefined) Object.assign(changes, { [field]: body[field] });
    const unitId = changes.unitId !== undefined ? changes.unitId : station.unitId;
    const operatorName = changes.operatorName !== undefined ? changes.operatorName : station.operatorName;
    if (unitId === null && operatorName === null) throw invalid('body.operatorName', { zh: '站点须由组织或合作方运营', en: 'a station is run by a unit or a partner' });
    const fields = Object.keys(changes);
    if (fields.length === 0) return;
    await trx.updateTable('stations').set({ ...changes, updatedAt: await writeTime(trx, meta.now) }).where('id', '=', id).execute();
    await recordAudit(trx, { actor: meta.actor, action: 'station.update', entityType: 'station', entityId: id, ip: meta.ip, detail: { fields }, at: meta.now });
  });
}

export async function closeStation(db: Db, id: number, body: z.infer<typeof closeStationBodySchema>, meta: Meta): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await writableStation(trx, meta.actor, id);
    await trx.updateTable('stations').set({ status: 'closed', statusNote: body.reason, closedAt: meta.now.toISOString(), updatedAt: await writeTime(trx, meta.now) }).where('id', '=', id).execute();
    await recordAudit(trx, { actor: meta.actor, action: 'station.close', entityType: 'station', entityId: id, ip: meta.ip, detail: { reason: body.reason }, at: meta.now });
  });
}
