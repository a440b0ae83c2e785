import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import type { Actor } from '../../core/scope.js';
import type { Database, OrgUnit } from '../../db/tables.js';
import { describeEachEngine } from '../../test/harness.js';
import { buildTwoProvinces } from './org.factory.js';
import { unitInScope } from './org.scope.js';

const secretaryOf = (unit: OrgUnit): Actor => ({
  userId: 1,
  username: 'secretary',
  displayName: '支部书记',
  locale: 'zh-CN',
  grants: [{ role: 'branch_secretary', unitId: unit.id, unitPath: unit.path, unitName: unit.name }],
  sessionId: 's',
  sessionKind: 'bearer',
  csrfToken: 'c',
});

// Any use of it fails the test: the granted unit must be answered from the grant alone.
const untouchable = new Proxy({} as Kysely<Database>, {
  get: () => {
    throw new Error('the database was read');
  },
});

const statusOf = (promise: Promise<unknown>) => promise.then(() => 200, (error: unknown) => (error instanceof AppError ? error.status : 500));

describeEachEngine('a unit named in a request', (ctx) => {
  it('takes a granted unit’s path from the grant, reads units below it, and refuses the rest as findUnit and ensureAllowed do', async () => {
    const world = await buildTwoProvinces(ctx.db);
    const secretary = secretaryOf(world.branchA);
    expect(await unitInScope(untouchable, secretary, world.branchA.id, 'appeal.read')).toEqual({ id: world.branchA.id, path: world.branchA.path });
    await expect(unitInScope(untouchable, secretary, world.groupA.id, 'appeal.read')).rejects.toThrow('the database was read');
    expect(await unitInScope(ctx.db, secretary, world.groupA.id, 'person.read')).toEqual({ id: world.groupA.id, path: world.groupA.path });
    // Out of scope is a 404, as for a unit that does not exist: no hint that it does.
    expect(await statusOf(unitInScope(ctx.db, secretary, world.branchB.id, 'appeal.read'))).toBe(404);
    expect(await statusOf(unitInScope(ctx.db, secretary, world.committee.id, 'appeal.read'))).toBe(404);
    expect(await statusOf(unitInScope(ctx.db, secretary, 987_654, 'appeal.read'))).toBe(404);
    // A grant whose role lacks the action is refused even at its own unit, without a read.
    const analyst: Actor = { ...secretary, grants: [{ ...secretary.grants[0]!, role: 'analyst' }] };
    expect(await statusOf(unitInScope(untouchable, analyst, world.branchA.id, 'person.read'))).toBe(403);
    expect(await unitInScope(untouchable, analyst, world.branchA.id, 'appeal.figures')).toEqual({ id: world.branchA.id, path: world.branchA.path });
  });
});
