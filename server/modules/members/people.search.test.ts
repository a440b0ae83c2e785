import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { nameSortKey } from '../../core/name-sort.js';
import { personTokens, queryTokens } from '../../core/text-search.js';
import { matchesTokens, type SearchableTable, writeSearchTokens, writeSearchTokensBatch } from '../../db/text-search.js';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { buildTwoProvinces } from '../org/org.factory.js';
import { analyzedPlanOf, planNodes } from '../../test/query-plan.js';
import { listWorkers, workersMatching } from '../workers/workers.queries.js';
import { listMembers, membersMatching } from './members.queries.js';

// A name search walks the n-gram key in list order (issue 6). It must return what the list returned before
// the walk existed: the people whose stored tokens hold every token of the fragment, inside the scope and
// filters, in (pinyin sort key, id) order, paged by the same cursor. Checked here against a brute-force
// ordering of every stored person and against the FTS5 / GIN condition the list used before, on a few
// hundred people who share fragments, homophones and whole names (ties in the sort key).

const PASSWORD = 'correct-horse-battery';
const surnames = ['张', '章', '王', '李', '欧阳'];
const given = ['伟', '明', '华', '雪', '梅', '伟明', '明华', '雪梅'];
const fragments = ['张伟', '伟', '明华', '雪梅', '伟明', '张伟明', '欧阳明', '阳', '梅张', '0007', '9999'];

type Person = { id: number; name: string; nameSort: string; phoneTail: string; unitPath: string; unitId: number; excluded: boolean; status: string };

describeEachEngine('people search walks the n-gram key in list order', (ctx) => {
  let world: Awaited<ReturnType<typeof buildTwoProvinces>>;
  let secretary: Session;
  const units = () => [world.branchA, world.branchB, world.groupA, world.shenzhen];

  async function insertPeople(table: SearchableTable, count: number) {
    const rows = [];
    for (let i = 0; i < count; i++) {
      // Deterministic and overlapping: many share a surname and a given name, some the whole name.
      const name = `${surnames[i % surnames.length]}${given[(i * 7) % given.length]}${i % 11 === 0 ? '' : given[(i * 3) % given.length]!.slice(0, 1)}`;
      const unit = units()[i % units().length]!;
      const phone = `139${String(i * 37).padStart(8, '0')}`;
      const at = '2026-01-01T00:00:00.000Z';
      const common = { name, nameSort: nameSortKey(name), phoneEnc: `enc-${table}-${i}`, phoneHash: `hash-${table}-${i}`, phoneTail: phone.slice(-4), unitId: unit.id, unitPath: unit.path, createdAt: at, updatedAt: at };
      rows.push(common);
    }
    const inserted =
      table === 'workers'
        ? await ctx.db
            .insertInto('workers')
            .values(rows.map((r, i) => ({ ...r, platformId: world.platform.id, platformWorkerId: `S${i}`, workType: 'ride_hailing', vehicle: 'car', cityCode: '510100', status: i % 5 === 0 ? 'inactive' : 'active', consentWithdrawnAt: i % 13 === 0 ? r.createdAt : null })))
            .returning(['id', 'name', 'phoneTail'])
            .execute()
        : await ctx.db
            .insertInto('members')
            .values(rows.map((r, i) => ({ ...r, gender: 'female', birthYear: 1988, idCardEnc: `id-${i}`, idCardHash: `idh-${i}`, joinDate: 'enc', status: i % 5 === 0 ? 'probationary' : 'full', isMobile: i % 2, liaisonTarget: 10 })))
            .returning(['id', 'name', 'phoneTail'])
            .execute();
    // The batch writer the seed and the imports use.
    await writeSearchTokensBatch(
      ctx.db,
      table,
      inserted.map((p) => ({ id: p.id, tokens: personTokens(p.name, p.phoneTail) })),
    );
  }

  beforeAll(async () => {
    world = await buildTwoProvinces(ctx.db);
    await ctx.createUser({ username: 'branch', password: PASSWORD, displayName: '书记', grants: [{ role: 'branch_secretary', unitId: world.sichuan.id }] });
    secretary = await ctx.login('branch', PASSWORD);
    await insertPeople('workers', 320);
    await insertPeople('members', 240);
    // Created and renamed through the API: the grams follow the name (and its sort key) in each write's transaction.
    for (let i = 0; i < 6; i++) {
      const payload = { name: '王伟', phone: `1370000${String(i).padStart(4, '0')}`, platformId: world.platform.id, platformWorkerId: `API${i}`, workType: 'ride_hailing', vehicle: 'car', cityCode: '510100', unitId: world.branchA.id };
      const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/workers', headers: secretary.headers, payload });
      expect(created.statusCode, created.body).toBe(201);
      const { id } = created.json<{ id: number }>();
      const response = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/workers/${id}`, headers: secretary.headers, payload: { name: i % 2 ? '张伟明' : '司马相如' } });
      expect(response.statusCode, response.body).toBe(200);
    }
  });

  const byListOrder = (a: Person, b: Person) => (a.nameSort < b.nameSort ? -1 : a.nameSort > b.nameSort ? 1 : a.id - b.id);

  async function everyone(table: SearchableTable): Promise<Person[]> {
    const rows =
      table === 'workers'
        ? await ctx.db.selectFrom('workers').select(['id', 'name', 'nameSort', 'phoneTail', 'unitPath', 'unitId', 'status', 'consentWithdrawnAt']).execute()
        : await ctx.db.selectFrom('members').select(['id', 'name', 'nameSort', 'phoneTail', 'unitPath', 'unitId', 'status']).execute();
    return rows.map((r) => ({ ...r, phoneTail: r.phoneTail ?? '', unitPath: r.unitPath ?? '', unitId: r.unitId ?? 0, excluded: 'consentWithdrawnAt' in r && r.consentWithdrawnAt !== null }));
  }

  type Case = { q: string; scope: readonly string[] | 'all'; subtree?: string; status?: string };
  const cases = (): Case[] =>
    fragments.flatMap((q) => [
      { q, scope: 'all' },
      { q, scope: [world.sichuan.path] },
      { q, scope: [world.branchA.path, world.shenzhen.path] },
      { q, scope: [world.sichuan.path], subtree: world.branchB.path },
    ]);

  function bruteForce(people: Person[], c: Case): Person[] {
    const wanted = queryTokens(c.q);
    const inside = (path: string, paths: readonly string[]) => paths.some((p) => path.startsWith(p));
    return people
      .filter((p) => !p.excluded)
      .filter((p) => (c.scope === 'all' ? true : inside(p.unitPath, c.scope)) && (!c.subtree || inside(p.unitPath, [c.subtree])))
      .filter((p) => !c.status || p.status === c.status)
      .filter((p) => {
        const stored = new Set(personTokens(p.name, p.phoneTail));
        return wanted.every((t) => stored.has(t));
      })
      .sort(byListOrder);
  }

  // `from` forces where the search starts (the list chooses by the subtree's size: SMALL_SCOPE).
  async function pagedWalk(table: SearchableTable, c: Case, limit: number, from?: 'grams' | 'people'): Promise<number[]> {
    const ids: number[] = [];
    let after: { nameSort: string; id: number } | null = null;
    for (let guard = 0; guard < 1000; guard++) {
      const filter = { scope: c.scope, subtree: c.subtree, q: c.q, after, limit };
      const workers = { ...filter, status: c.status as 'active' | undefined };
      const members = { ...filter, status: c.status as 'full' | undefined };
      const rows: { id: number; nameSort: string }[] = from
        ? table === 'workers'
          ? await workersMatching(ctx.db, workers, from).select(['id', 'nameSort']).limit(limit + 1).execute()
          : await membersMatching(ctx.db, members, from).select(['id', 'nameSort']).limit(limit + 1).execute()
        : table === 'workers'
          ? await listWorkers(ctx.db, workers)
          : await listMembers(ctx.db, members);
      ids.push(...rows.slice(0, limit).map((r) => r.id));
      if (rows.length <= limit) return ids;
      const last = rows[limit - 1]!;
      after = { nameSort: last.nameSort, id: last.id };
    }
    throw new Error('paging did not end');
  }

  // The condition the lists used before the walk (FTS5 on SQLite, GIN on PostgreSQL), in the list's order.
  async function beforeTheWalk(table: SearchableTable, c: Case): Promise<number[]> {
    const tokens = queryTokens(c.q);
    const paths = [...(c.scope === 'all' ? [] : [c.scope]), ...(c.subtree ? [[c.subtree]] : [])];
    const inside = paths.map((list) => sql<boolean>`(${sql.join(list.map((p) => sql`${sql.ref(`${table}.unitPath`)} like ${`${p}%`}`), sql` or `)})`);
    let query = ctx.db
      .selectFrom(table)
      .select(`${table}.id`)
      .where(matchesTokens(ctx.db, table, table, tokens))
      .orderBy(`${table}.nameSort`)
      .orderBy(`${table}.id`);
    for (const condition of inside) query = query.where(condition);
    if (c.status) query = query.where(`${table}.status`, '=', c.status as never);
    if (table === 'workers') query = query.where(sql<boolean>`workers.consent_withdrawn_at is null`);
    return (await query.execute()).map((r) => r.id);
  }

  for (const table of ['workers', 'members'] as const) {
    it(`${table}: every fragment, scope and subtree pages to the brute-force ordering and to the rows of the FTS/GIN condition`, async () => {
      const people = await everyone(table);
      let nonEmpty = 0;
      for (const c of cases()) {
        const expected = bruteForce(people, c).map((p) => p.id);
        if (expected.length > 0) nonEmpty++;
        const label = `${c.q} ${JSON.stringify(c.scope)} ${c.subtree ?? ''}`;
        expect(await pagedWalk(table, c, 7), label).toEqual(expected);
        // Both starts give the same pages, whichever the subtree's size would choose.
        expect(await pagedWalk(table, c, 7, 'grams'), `from grams: ${label}`).toEqual(expected);
        expect(await pagedWalk(table, c, 7, 'people'), `from people: ${label}`).toEqual(expected);
        expect(await beforeTheWalk(table, c), `before: ${c.q}`).toEqual(expected);
      }
      // The cases are not vacuous: most fragments match, and ties in the sort key occur among the matches.
      expect(nonEmpty).toBeGreaterThan(cases().length / 2);
      const sortKeys = bruteForce(people, { q: '伟', scope: 'all' }).map((p) => p.nameSort);
      expect(new Set(sortKeys).size).toBeLessThan(sortKeys.length);
    });

    it(`${table}: a status filter and one large page give the same rows as the brute force`, async () => {
      const people = await everyone(table);
      const status = table === 'workers' ? 'active' : 'full';
      for (const q of fragments) {
        const c = { q, scope: [world.sichuan.path], status };
        expect(await pagedWalk(table, c, 500)).toEqual(bruteForce(people, c).map((p) => p.id));
      }
    });
  }

  it('a page reads about a page of gram rows, however many people match (PostgreSQL: EXPLAIN ANALYZE row counts)', async () => {
    // SQLite has no EXPLAIN ANALYZE: its plan test (people.plans.test.ts) shows the ordered walk with no sort.
    if (ctx.engine !== 'postgres') return;
    const matches = bruteForce(await everyone('workers'), { q: '伟', scope: 'all' }).length;
    expect(matches).toBeGreaterThan(100);
    const plan = await analyzedPlanOf(ctx.db, workersMatching(ctx.db, { scope: 'all', q: '伟', after: null }).select(['id', 'name']).limit(11), ['sort', 'bitmapscan']);
    const walked = planNodes(plan).find((n) => n.Alias === 'g')!;
    expect(walked['Index Name']).toBe('workers_grams_walk');
    // 11 rows returned; a few more read where a consent was withdrawn (one in 13 people here).
    expect(walked['Actual Rows'] * walked['Actual Loops']).toBeLessThanOrEqual(15);
  });

  it('a renamed worker is found by the new name only, and one whose tokens are cleared (erasure) by none', async () => {
    const renamed = (await pagedWalk('workers', { q: '司马', scope: 'all' }, 50)).length;
    expect(renamed).toBe(3);
    const [first] = await pagedWalk('workers', { q: '相如', scope: 'all' }, 50);
    await writeSearchTokens(ctx.db, 'workers', first!, []);
    expect(await pagedWalk('workers', { q: '相如', scope: 'all' }, 50)).not.toContain(first);
    expect(await pagedWalk('workers', { q: '司马', scope: 'all' }, 50)).toHaveLength(2);
  });
});
