import type { Kysely } from 'kysely';
import { ensureAllowed } from '../../core/actor.js';
import { recordAudit } from '../../core/audit.js';
import { chinaDate } from '../../core/clock.js';
import { AppError, conflict, invalid, notFound } from '../../core/errors.js';
import type { Context } from '../../core/context.js';
import { type Actor, authorize } from '../../core/scope.js';
import type { Database, OrgUnit, OrgUnitKind } from '../../db/tables.js';
import { divisionOf, isDivisionCode } from '../divisions/divisions.rules.js';
import type { OrgUnitDetail } from './org.schema.js';
import {
  ancestorsOf,
  countBeneath,
  findPlatform,
  findUnit,
  findUnits,
  historyOf,
  insertUnit,
  moveSubtree,
  openChildrenOf,
  openSiblingNamed,
  recordUnitEvent,
} from './org.queries.js';
import { allowedChildKinds, checkClose, checkMerge, checkMove, checkPlacement, checkSplit, type RuleViolation } from './org.rules.js';

type Db = Kysely<Database>;
export type { Context } from '../../core/context.js';

const refuse = (violation: RuleViolation | null) => {
  if (violation) throw new AppError(409, 'RULE_VIOLATION', { reason: violation.reason });
};

export async function unitDetail(db: Db, unit: OrgUnit, actor: Actor): Promise<OrgUnitDetail> {
  const [ancestors, counts, history, platform, openChildren] = await Promise.all([
    ancestorsOf(db, unit),
    countBeneath(db, unit),
    historyOf(db, unit.id),
    unit.platformId ? findPlatform(db, unit.platformId) : Promise.resolve(undefined),
    openChildrenOf(db, unit.id),
  ]);
  const division = unit.cityCode ? divisionOf(unit.cityCode) : undefined;
  return {
    id: unit.id,
    parentId: unit.parentId,
    name: unit.name,
    kind: unit.kind,
    depth: unit.depth,
    platformId: unit.platformId,
    cityCode: unit.cityCode,
    establishedOn: unit.establishedOn,
    closedOn: unit.closedOn,
    closeReason: unit.closeReason,
    mergedIntoId: unit.mergedIntoId,
    createdAt: unit.createdAt,
    updatedAt: unit.updatedAt,
    childCount: openChildren.length,
    platform: platform ?? null,
    city: unit.cityCode ? { code: unit.cityCode, name: division?.name ?? unit.cityCode, nameEn: division?.nameEn ?? null, province: division?.province ?? null } : null,
    ancestors: ancestors.map((a) => ({ id: a.id, name: a.name, kind: a.kind })),
    counts,
    history,
    allowedChildKinds: unit.closedOn ? [] : [...allowedChildKinds[unit.kind]],
    // What this viewer may do here, so a page offers only actions that will succeed.
    permissions: {
      write: !unit.closedOn && authorize(actor, 'org.write', unit.path) === 'allowed',
      restructure: !unit.closedOn && authorize(actor, 'org.restructure', unit.path) === 'allowed',
    },
  };
}

/** The subtree a list is narrowed to by `?unitId=`, checked against the actor's scope. */
export async function requestedSubtree(db: Db, actor: Actor, action: Parameters<typeof ensureAllowed>[1], unitId: number | undefined): Promise<string | undefined> {
  if (unitId === undefined) return undefined;
  return (await loadUnitFor(db, actor, unitId, action)).path;
}

/** Loads a unit the actor may act on, or answers as if it did not exist. */
export async function loadUnitFor(db: Db, actor: Actor, id: number, action: Parameters<typeof ensureAllowed>[1]): Promise<OrgUnit> {
  const unit = await findUnit(db, id);
  if (!unit) throw notFound('org_unit');
  ensureAllowed(actor, action, unit.path);
  return unit;
}

async function checkAttributes(db: Db, attrs: { platformId?: number | null; cityCode?: string | null }): Promise<void> {
  if (attrs.platformId && !(await findPlatform(db, attrs.platformId))) {
    throw invalid('body.platformId', { zh: `没有编号为 ${attrs.platformId} 的平台`, en: `There is no platform with id ${attrs.platformId}` });
  }
  if (attrs.cityCode && !isDivisionCode(attrs.cityCode)) {
    throw invalid('body.cityCode', {
      zh: `${attrs.cityCode} 不是有效的行政区划代码（GB/T 2260）`,
      en: `${attrs.cityCode} is not a valid administrative division code (GB/T 2260)`,
    });
  }
}

async function ensureNameFree(db: Db, parentId: number | null, name: string, exceptId?: number): Promise<void> {
  if (await openSiblingNamed(db, parentId, name, exceptId)) {
    throw conflict({ zh: `同一上级下已有名为“${name}”的组织`, en: `Another open unit under the same parent is already named "${name}"` });
  }
}

function ensureOpen(unit: OrgUnit): void {
  if (unit.closedOn) throw new AppError(409, 'UNIT_CLOSED', { name: unit.name, closedOn: unit.closedOn });
}

export type CreateUnitInput = {
  parentId: number | null;
  name: string;
  kind: OrgUnitKind;
  platformId?: number | null;
  cityCode?: string | null;
  establishedOn?: string | null;
};

export async function createUnit(db: Db, ctx: Context, input: CreateUnitInput): Promise<OrgUnit> {
  return db.transaction().execute(async (trx) => {
    const parent = input.parentId === null ? null : await loadUnitFor(trx, ctx.actor, input.parentId, 'org.write');
    if (parent === null) ensureAllowed(ctx.actor, 'org.write', null);
    refuse(checkPlacement(input.kind, parent));
    await checkAttributes(trx, input);
    await ensureNameFree(trx, parent?.id ?? null, input.name);
    const unit = await insertUnit(
      trx,
      {
        parent,
        name: input.name,
        kind: input.kind,
        // A sub-unit belongs to its parent's platform and city unless told otherwise.
        platformId: input.platformId === undefined ? (parent?.platformId ?? null) : input.platformId,
        cityCode: input.cityCode === undefined ? (parent?.cityCode ?? null) : input.cityCode,
        establishedOn: input.establishedOn ?? chinaDate(ctx.now),
      },
      ctx.now,
    );
    const detail = { name: unit.name, kind: unit.kind, parentId: unit.parentId, platformId: unit.platformId, cityCode: unit.cityCode };
    await recordUnitEvent(trx, { unitId: unit.id, kind: 'created', at: ctx.now, actorUserId: ctx.actor.userId, detail });
    await recordAudit(trx, { actor: ctx.actor, action: 'org_unit.create', entityType: 'org_unit', entityId: unit.id, ip: ctx.ip, at: ctx.now, detail });
    return unit;
  });
}

export type UpdateUnitInput = { name?: string; platformId?: number | null; cityCode?: string | null; establishedOn?: string | null };

export async function updateUnit(db: Db, ctx: Context, id: number, input: UpdateUnitInput): Promise<OrgUnit> {
  return db.transaction().execute(async (trx) => {
    const unit = await loadUnitFor(trx, ctx.actor, id, 'org.write');
    ensureOpen(unit);
    await checkAttributes(trx, input);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of ['name', 'platformId', 'cityCode', 'establishedOn'] as const) {
      if (input[key] !== undefined && input[key] !== unit[key]) changes[key] = { from: unit[key], to: input[key] };
    }
    if (Object.keys(changes).length === 0) return unit;
    if (changes.name) await ensureNameFree(trx, unit.parentId, input.name!, unit.id);
    await trx
      .updateTable('orgUnits')
      .set({ ...input, updatedAt: ctx.now.toISOString() })
      .where('id', '=', id)
      .execute();
    const kind = Object.keys(changes).length === 1 && changes.name ? 'renamed' : 'updated';
    await recordUnitEvent(trx, { unitId: id, kind, at: ctx.now, actorUserId: ctx.actor.userId, detail: changes });
    await recordAudit(trx, { actor: ctx.actor, action: `org_unit.${kind === 'renamed' ? 'rename' : 'update'}`, entityType: 'org_unit', entityId: id, ip: ctx.ip, at: ctx.now, detail: changes });
    return (await findUnit(trx, id))!;
  });
}

export async function moveUnit(db: Db, ctx: Context, id: number, parentId: number): Promise<OrgUnit> {
  return db.transaction().execute(async (trx) => {
    const unit = await loadUnitFor(trx, ctx.actor, id, 'org.restructure');
    const newParent = await loadUnitFor(trx, ctx.actor, parentId, 'org.write');
    refuse(checkMove(unit, newParent));
    if (unit.parentId === newParent.id) return unit;
    await ensureNameFree(trx, newParent.id, unit.name);
    await moveSubtree(trx, unit, newParent, ctx.now);
    const detail = { fromParentId: unit.parentId, toParentId: newParent.id };
    await recordUnitEvent(trx, { unitId: id, kind: 'moved', at: ctx.now, actorUserId: ctx.actor.userId, detail });
    await recordAudit(trx, { actor: ctx.actor, action: 'org_unit.move', entityType: 'org_unit', entityId: id, ip: ctx.ip, at: ctx.now, detail });
    return (await findUnit(trx, id))!;
  });
}

async function closeWith(db: Db, unit: OrgUnit, closedOn: string, reason: string, now: Date, mergedIntoId: number | null = null) {
  await db
    .updateTable('orgUnits')
    .set({ closedOn, closeReason: reason, mergedIntoId, updatedAt: now.toISOString() })
    .where('id', '=', unit.id)
    .execute();
}

/** Moves everything beneath the source to the target and closes the source, as one change. */
export async function mergeUnits(db: Db, ctx: Context, input: { sourceId: number; targetId: number; reason?: string }): Promise<OrgUnit> {
  return db.transaction().execute(async (trx) => {
    const source = await loadUnitFor(trx, ctx.actor, input.sourceId, 'org.restructure');
    const target = await loadUnitFor(trx, ctx.actor, input.targetId, 'org.restructure');
    refuse(checkMerge(source, target));
    const children = await openChildrenOf(trx, source.id);
    const targetChildNames = new Set((await openChildrenOf(trx, target.id)).map((c) => c.name));
    const clash = children.find((c) => targetChildNames.has(c.name));
    if (clash) {
      throw conflict({ zh: `“${target.name}”下已有同名组织“${clash.name}”，请先改名`, en: `"${target.name}" already has a unit named "${clash.name}": rename one first` });
    }
    for (const child of children) {
      await moveSubtree(trx, child, target, ctx.now);
      await recordUnitEvent(trx, { unitId: child.id, kind: 'moved', at: ctx.now, actorUserId: ctx.actor.userId, detail: { fromParentId: source.id, toParentId: target.id, byMerge: true } });
    }
    const reason = input.reason ?? `并入 ${target.name} / merged into ${target.name}`;
    await closeWith(trx, source, chinaDate(ctx.now), reason, ctx.now, target.id);
    const movedChildIds = children.map((c) => c.id);
    await recordUnitEvent(trx, { unitId: target.id, kind: 'merged', at: ctx.now, actorUserId: ctx.actor.userId, detail: { sourceId: source.id, sourceName: source.name, movedChildIds, reason } });
    await recordUnitEvent(trx, { unitId: source.id, kind: 'merged_into', at: ctx.now, actorUserId: ctx.actor.userId, detail: { targetId: target.id, targetName: target.name, reason } });
    await recordAudit(trx, { actor: ctx.actor, action: 'org_unit.merge', entityType: 'org_unit', entityId: target.id, ip: ctx.ip, at: ctx.now, detail: { sourceId: source.id, movedChildIds, reason } });
    return (await findUnit(trx, target.id))!;
  });
}

/** Creates a new unit beside the source and moves the chosen children to it, as one change. */
export async function splitUnit(db: Db, ctx: Context, id: number, input: { name: string; childIds: number[]; establishedOn?: string }): Promise<OrgUnit> {
  return db.transaction().execute(async (trx) => {
    const source = await loadUnitFor(trx, ctx.actor, id, 'org.restructure');
    const parent = source.parentId === null ? null : await loadUnitFor(trx, ctx.actor, source.parentId, 'org.write');
    if (parent === null) ensureAllowed(ctx.actor, 'org.write', null);
    const openChildren = await openChildrenOf(trx, source.id);
    refuse(checkSplit(source, input.childIds, new Set(openChildren.map((c) => c.id))));
    await ensureNameFree(trx, source.parentId, input.name);
    const created = await insertUnit(
      trx,
      { parent, name: input.name, kind: source.kind, platformId: source.platformId, cityCode: source.cityCode, establishedOn: input.establishedOn ?? chinaDate(ctx.now) },
      ctx.now,
    );
    for (const child of await findUnits(trx, input.childIds)) {
      await moveSubtree(trx, child, created, ctx.now);
      await recordUnitEvent(trx, { unitId: child.id, kind: 'moved', at: ctx.now, actorUserId: ctx.actor.userId, detail: { fromParentId: source.id, toParentId: created.id, bySplit: true } });
    }
    const detail = { sourceId: source.id, newUnitId: created.id, movedChildIds: input.childIds };
    await recordUnitEvent(trx, { unitId: source.id, kind: 'split', at: ctx.now, actorUserId: ctx.actor.userId, detail });
    await recordUnitEvent(trx, { unitId: created.id, kind: 'split_from', at: ctx.now, actorUserId: ctx.actor.userId, detail: { ...detail, sourceName: source.name } });
    await recordAudit(trx, { actor: ctx.actor, action: 'org_unit.split', entityType: 'org_unit', entityId: source.id, ip: ctx.ip, at: ctx.now, detail });
    return (await findUnit(trx, created.id))!;
  });
}

export async function closeUnit(db: Db, ctx: Context, id: number, input: { closedOn: string; reason: string }): Promise<OrgUnit> {
  return db.transaction().execute(async (trx) => {
    const unit = await loadUnitFor(trx, ctx.actor, id, 'org.restructure');
    const openChildren = await openChildrenOf(trx, unit.id);
    refuse(checkClose(unit, openChildren.length, input.closedOn, unit.establishedOn));
    await closeWith(trx, unit, input.closedOn, input.reason, ctx.now);
    await recordUnitEvent(trx, { unitId: id, kind: 'closed', at: ctx.now, actorUserId: ctx.actor.userId, detail: input });
    await recordAudit(trx, { actor: ctx.actor, action: 'org_unit.close', entityType: 'org_unit', entityId: id, ip: ctx.ip, at: ctx.now, detail: input });
    return (await findUnit(trx, id))!;
  });
}
