import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { nameSortKey } from '../../core/name-sort.js';
import { sensitiveCodec } from '../../core/sensitive.js';
import { personTokens, queryTokens } from '../../core/text-search.js';
import { type SearchableTable, writeSearchTokens, writeSearchTokensBatch } from '../../db/text-search.js';
import { listPage } from '../../db/text-search.js';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { buildTwoProvinces } from '../org/org.factory.js';
import { analyzedPlanOf, planNodes } from '../../test/query-plan.js';
import { listWorkers, workersMatching } from '../workers/workers.queries.js';
import { listMembers } from './members.queries.js';

// A name search walks the n-gram key in list order (issue 6). It must return what the list returned before
// the walk existed: the people whose stored tokens hold every token of the fragment, inside the scope and
// filters, in (pinyin sort key, id) order, paged by the same cursor. Checked here against a brute-force
// ordering of every stored person (the FTS5 / GIN condition the list used before is gone with its tables,
// 2026-12-05T1530-drop-search-tokens), on a few hundred people who share fragments, homophones and whole
// names (ties in the sort key).

const PASSWORD = 'correct-horse-battery';
// The harness app runs with CONVOY_SECRET = 'x' × 40; rows built here must decrypt there (the moves answer with the record).
const codec = sensitiveCodec('x'.repeat(40));
const surnames = ['张', '章', '王', '李', '欧阳'];
const given = ['伟', '明', '华', '雪', '梅', '伟明', '明华', '雪梅'];
const fragments = ['张伟', '伟', '明华', '雪梅', '伟明', '张伟明', '欧阳明', '阳', '梅张', '0007', '9999'];

type Person = { id: number; name: string; nameSort: string; phoneTail: string; unitPath: string; unitId: number; excluded: boolean; status: string };

describeEachEngine('people search walks the n-gram key in list order', (ctx) => {
  let world: Awaited<ReturnType<typeof buildTwoProvinces>>;
  let secretary: Session;
  let admin: Session;
  const units = () => [world.branchA, world.branchB, world.groupA, world.shenzhen];
  // The units' paths as they are now: org moves rewrite them.
  const paths: Record<'sichuan' | 'branchA' | 'branchB' | 'shenzhen', string> = { sichuan: '', branchA: '', branchB: '', shenzhen: '' };
  async function readPaths() {
    for (const name of Object.keys(paths) as (keyof typeof paths)[]) {
      paths[name] = (await ctx.db.selectFrom('orgUnits').select('path').where('id', '=', world[name].id).executeTakeFirstOrThrow()).path;
    }
  }

  async function insertPeople(table: SearchableTable, count: number) {
    const rows = [];
    for (let i = 0; i < count; i++) {
      // Deterministic and overlapping: many share a surname and a given name, some the whole name.
      const name = `${surnames[i % surnames.length]}${given[(i * 7) % given.length]}${i % 11 === 0 ? '' : given[(i * 3) % given.length]!.slice(0, 1)}`;
      const unit = units()[i % units().length]!;
      const phone = `139${String(i * 37).padStart(8, '0')}`;
      const at = '2026-01-01T00:00:00.000Z';
      const common = { name, nameSort: nameSortKey(name), phoneEnc: codec.encrypt(phone), phoneHash: `hash-${table}-${i}`, phoneTail: phone.slice(-4), unitId: unit.id, unitPath: unit.path, createdAt: at, updatedAt: at };
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
            .values(rows.map((r, i) => ({ ...r, gender: 'female', birthYear: 1988, idCardEnc: codec.encrypt(`51010119880101${String(i).padStart(4, '0')}`), idCardHash: `idh-${i}`, joinDate: codec.encrypt('2015-07-01'), status: i % 5 === 0 ? 'probationary' : 'full', isMobile: i % 2, liaisonTarget: 10 })))
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
    await ctx.createUser({ username: 'admin', password: PASSWORD, displayName: '管理员', grants: [{ role: 'system_admin', unitId: null }] });
    admin = await ctx.login('admin', PASSWORD);
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
      { q, scope: [paths.sichuan] },
      { q, scope: [paths.branchA, paths.shenzhen] },
      { q, scope: [paths.sichuan], subtree: paths.branchB },
      { q, scope: [paths.shenzhen], subtree: paths.branchB },
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

  async function pagedWalk(table: SearchableTable, c: Case, limit: number): Promise<number[]> {
    const ids: number[] = [];
    let after: { nameSort: string; id: number } | null = null;
    for (let guard = 0; guard < 1000; guard++) {
      const filter = { scope: c.scope, subtree: c.subtree, q: c.q, after, limit };
      const rows: { id: number; nameSort: string }[] =
        table === 'workers' ? await listWorkers(ctx.db, { ...filter, status: c.status as 'active' | undefined }) : await listMembers(ctx.db, { ...filter, status: c.status as 'full' | undefined });
      ids.push(...rows.slice(0, limit).map((r) => r.id));
      if (rows.length <= limit) return ids;
      const last = rows[limit - 1]!;
      after = { nameSort: last.nameSort, id: last.id };
    }
    throw new Error('paging did not end');
  }

  /** Every case of both tables pages to the brute-force ordering; answers how many cases found someone. */
  async function expectEveryCaseAsBruteForce(table: SearchableTable, when: string): Promise<number> {
    const people = await everyone(table);
    let nonEmpty = 0;
    for (const c of cases()) {
      const expected = bruteForce(people, c).map((p) => p.id);
      if (expected.length > 0) nonEmpty++;
      expect(await pagedWalk(table, c, 7), `${when}: ${c.q} ${JSON.stringify(c.scope)} ${c.subtree ?? ''}`).toEqual(expected);
    }
    return nonEmpty;
  }

  /** The gram rows' copy of the unit path is the person's path, for every gram of every person. */
  async function expectGramPathsFollowPeople(table: SearchableTable) {
    const rows =
      table === 'workers'
        ? await ctx.db.selectFrom('workersGrams as g').innerJoin('workers as p', 'p.id', 'g.personId').select(['g.personId', 'g.unitPath as gramPath', 'p.unitPath as personPath']).execute()
        : await ctx.db.selectFrom('membersGrams as g').innerJoin('members as p', 'p.id', 'g.personId').select(['g.personId', 'g.unitPath as gramPath', 'p.unitPath as personPath']).execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.gramPath !== r.personPath)).toEqual([]);
  }

  for (const table of ['workers', 'members'] as const) {
    it(`${table}: every fragment, scope and subtree pages to the brute-force ordering`, async () => {
      await readPaths();
      const nonEmpty = await expectEveryCaseAsBruteForce(table, 'as built');
      // The cases are not vacuous: most fragments match (in more than two of the first four scopes; the fifth,
      // Shenzhen ∩ branch B, is empty until branch B moves there), and ties in the sort key occur among the matches.
      expect(nonEmpty).toBeGreaterThan((fragments.length * 4) / 2);
      const sortKeys = bruteForce(await everyone(table), { q: '伟', scope: 'all' }).map((p) => p.nameSort);
      expect(new Set(sortKeys).size).toBeLessThan(sortKeys.length);
    });

    it(`${table}: a status filter and one large page give the same rows as the brute force`, async () => {
      const people = await everyone(table);
      const status = table === 'workers' ? 'active' : 'full';
      await readPaths();
      for (const q of fragments) {
        const c = { q, scope: [paths.sichuan], status };
        expect(await pagedWalk(table, c, 500)).toEqual(bruteForce(people, c).map((p) => p.id));
      }
    });
  }

  // Random scopes (one to three grants among every unit, under one or two top-level committees, with or without
  // a subtree filter), fragments, statuses and page sizes: the walk (the root walk or the country-wide key,
  // whichever the scope allows) pages to the brute force.
  it('random scopes, subtrees and fragments page to the brute-force ordering', async () => {
    const units = await ctx.db.selectFrom('orgUnits').select('path').orderBy('id').execute();
    const unitPaths = units.map((u) => u.path);
    const pool = [...fragments, '张', '王', '李', '欧', '明', '华伟', '阳雪'];
    const people = { workers: await everyone('workers'), members: await everyone('members') };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('workers' as const, 'members' as const),
        fc.constantFrom(...pool),
        fc.oneof(fc.constant('all' as const), fc.uniqueArray(fc.constantFrom(...unitPaths), { minLength: 1, maxLength: 3 })),
        fc.option(fc.constantFrom(...unitPaths), { nil: undefined }),
        fc.integer({ min: 1, max: 60 }),
        async (table, q, scope, subtree, limit) => {
          const c = { q, scope, subtree };
          expect(await pagedWalk(table, c, limit), JSON.stringify(c)).toEqual(bruteForce(people[table], c).map((p) => p.id));
        },
      ),
      { numRuns: 120, seed: 20261205 },
    );
  });

  it('the gram rows follow org moves and person moves: every case still pages to the brute-force ordering', async () => {
    const tables = ['workers', 'members'] as const;
    const expectAllFollow = async (when: string) => {
      await readPaths();
      for (const table of tables) {
        await expectGramPathsFollowPeople(table);
        await expectEveryCaseAsBruteForce(table, when);
      }
    };
    const moveUnit = async (unitId: number, parentId: number) => {
      const response = await ctx.app.inject({ method: 'POST', url: `/api/v1/org-units/${unitId}/move`, headers: admin.headers, payload: { parentId } });
      expect(response.statusCode, response.body).toBe(200);
    };

    // An org move: branch B, with its people, from Sichuan's platform committee to Shenzhen.
    await moveUnit(world.branchB.id, world.shenzhen.id);
    await readPaths();
    expect(paths.branchB.startsWith(paths.shenzhen)).toBe(true);
    await expectAllFollow('after moving branch B to Shenzhen');

    // Person moves: workers re-assigned through the API (one renamed in the same request), a member through a
    // transfer of relation, and members whose path is written directly, as a bulk import's upsert does.
    const moving = await ctx.db.selectFrom('workers').select('id').where('unitId', '=', world.branchA.id).where('consentWithdrawnAt', 'is', null).orderBy('id').limit(5).execute();
    expect(moving).toHaveLength(5);
    for (const [i, { id }] of moving.entries()) {
      const payload = i === 0 ? { unitId: world.branchB.id, name: '张伟明' } : { unitId: world.branchB.id };
      const response = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/workers/${id}`, headers: admin.headers, payload });
      expect(response.statusCode, response.body).toBe(200);
    }
    const [transferred, ...written] = await ctx.db.selectFrom('members').select('id').where('unitId', '=', world.branchA.id).orderBy('id').limit(6).execute();
    const post = (url: string, payload?: object) => ctx.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: admin.headers, ...(payload ? { payload } : {}) });
    const requested = await post('/member-transfers', { memberId: transferred!.id, toUnitId: world.branchB.id, reason: '工作地点变动' });
    expect(requested.statusCode, requested.body).toBe(201);
    const { id: transferId } = requested.json<{ id: number }>();
    for (const step of ['approve', 'accept']) {
      const response = await post(`/member-transfers/${transferId}/${step}`);
      expect(response.statusCode, response.body).toBe(200);
    }
    await ctx.db
      .updateTable('members')
      .set({ unitId: world.shenzhen.id, unitPath: paths.shenzhen })
      .where('id', 'in', written.map((m) => m.id))
      .execute();
    await expectAllFollow('after person moves');
    expect((await ctx.db.selectFrom('members').select('unitId').where('id', '=', transferred!.id).executeTakeFirstOrThrow()).unitId).toBe(world.branchB.id);

    // And the org move undone: branch B back under its platform committee.
    await moveUnit(world.branchB.id, world.committee.id);
    await expectAllFollow('after moving branch B back');
  });

  it('a page reads about a page of gram rows, however many people match (PostgreSQL: EXPLAIN ANALYZE row counts)', async () => {
    // SQLite has no EXPLAIN ANALYZE: its plan test (people.plans.test.ts) shows the ordered walk with no sort.
    if (ctx.engine !== 'postgres') return;
    const matches = bruteForce(await everyone('workers'), { q: '伟', scope: 'all' }).length;
    expect(matches).toBeGreaterThan(100);
    const plan = await analyzedPlanOf(ctx.db, listPage((await workersMatching(ctx.db, { scope: 'all', q: '伟', after: null })).map((w) => w.select(['id', 'name'])), 11), ['sort', 'bitmapscan']);
    const walked = planNodes(plan).find((n) => n.Alias === 'g')!;
    expect(walked['Index Name']).toBe('workers_grams_walk');
    // 11 rows returned; a few more read where a consent was withdrawn (one in 13 people here).
    expect(walked['Actual Rows'] * walked['Actual Loops']).toBeLessThanOrEqual(15);

    // A subtree's page walks past other subtrees' rows of its committee inside the key: only its own people are looked up.
    await readPaths();
    const workers = await everyone('workers');
    const [subtree, inSubtree] = units()
      .map((u) => [u.path, bruteForce(workers, { q: '伟', scope: [u.path] }).length] as const)
      .sort((a, b) => a[1] - b[1])
      .find(([, n]) => n > 0)!;
    expect(inSubtree).toBeLessThan(matches / 2);
    const scoped = planNodes(await analyzedPlanOf(ctx.db, listPage((await workersMatching(ctx.db, { scope: [subtree], q: '伟', after: null })).map((w) => w.select(['id', 'name'])), 500), ['sort', 'bitmapscan']));
    const gramRows = scoped.find((n) => n.Alias === 'g')!;
    const lookUps = scoped.find((n) => n['Index Name'] === 'workers_pkey' || n.Alias === 'workers')!;
    // The subtree lies under one top-level committee: the walk reads that committee's rows of the gram only
    // (root walk), every one of them here (the page is larger than the matches), never another province's.
    expect(gramRows['Index Name']).toBe('workers_grams_root_walk');
    const root = `/${subtree.split('/')[1]}/`;
    const gramRowsOf = async (from: string, to: string) =>
      Number((await ctx.db.selectFrom('workersGrams').select((eb) => eb.fn.countAll().as('n')).where('gram', '=', '伟').where('unitPath', '>=', from).where('unitPath', '<', to).executeTakeFirstOrThrow()).n);
    const committeeRows = await gramRowsOf(root, `${root}~`);
    expect(committeeRows).toBeLessThan(await gramRowsOf('/', '/~'));
    const removed = (gramRows as { 'Rows Removed by Filter'?: number })['Rows Removed by Filter'] ?? 0;
    expect(gramRows['Actual Rows'] * gramRows['Actual Loops'] + removed).toBe(committeeRows);
    // Of those, only the subtree's leave the index scan's filter on the row's path and are looked up (plus the
    // few whose consent was withdrawn, one in 13).
    const bound = Math.ceil(inSubtree * 1.2) + 1;
    expect(gramRows['Actual Rows'] * gramRows['Actual Loops']).toBeLessThanOrEqual(bound);
    expect(lookUps['Actual Loops']).toBeLessThanOrEqual(bound);

    // A committee's page reads about a page of its own rows, as a page over everyone does.
    const committee = planNodes(await analyzedPlanOf(ctx.db, listPage((await workersMatching(ctx.db, { scope: [paths.sichuan], q: '伟', after: null })).map((w) => w.select(['id', 'name'])), 11), ['sort', 'bitmapscan']));
    const committeeWalk = committee.find((n) => n.Alias === 'g')!;
    expect(committeeWalk['Index Name']).toBe('workers_grams_root_walk');
    expect(committeeWalk['Actual Rows'] * committeeWalk['Actual Loops'] + ((committeeWalk as { 'Rows Removed by Filter'?: number })['Rows Removed by Filter'] ?? 0)).toBeLessThanOrEqual(15);
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
