// The demo's people: workers served by the mobile branches, the members those branches host (some
// of them drivers themselves), their roles, transfers and self-declarations, and the liaison between
// members and workers with its contact log. Everything is drawn from seeded streams, so names,
// phones, ID numbers and assignments repeat from run to run; only the encrypted columns differ
// byte-wise, because every encryption takes a fresh random IV.
//
// Rows are generated and written in chunks (one transaction per ~50,000 rows, 500-row INSERTs), and
// only compact per-person facts are kept between the parts, so the bench world (a million workers,
// a hundred thousand members) fits in memory.
import { insertRows } from './bulk-insert.js';
import { CHUNK, ChunkWriter, type PeopleInput, type PeopleSummary, branchesOf, moveStagedGrams, nextId, syncSequence, writeChunk } from './people-parts.js';
import { seedWorkers } from './people-workers.js';
import { buildMembers, buildRoles, memberColumns, roleColumns } from './people-members.js';
import { buildDeclarations, buildTransfers, declarationColumns, seedLiaison, transferColumns } from './people-records.js';
export type { PeopleInput, PeopleScale, PeopleSummary } from './people-parts.js';
export { benchPeople, demoPeople } from './people-parts.js';

// ---------------------------------------------------------------------------------------------
// The step

/** Seeds every people table; returns the counts. Run after the org world (and the demo accounts). */
export async function seedPeople(input: PeopleInput): Promise<PeopleSummary> {
  const branches = branchesOf(input.world, input.platformIds);
  const summary: PeopleSummary = { workers: 0, members: 0, memberRoles: 0, memberTransfers: 0, memberDeclarations: 0, liaisonAssignments: 0, liaisonContacts: 0 };
  if (branches.length === 0 || input.scale.workers === 0) return summary;
  const { db } = input;
  const anchor = branches.find((b) => b.unit.id === input.world.anchors.firstChengduBranch);
  // One set of phones for workers and members: the same number is the same person, linked, never two.
  const phones = new Set<number>();
  const timed = async <T>(part: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await run();
    if (input.timings) input.timings[part] = Math.round(performance.now() - started);
    return result;
  };
  const workers = await timed('people:workers', () => seedWorkers(input, branches, anchor, phones));
  summary.workers = workers.count;

  const members = await timed('people:members', async () => {
    const drafts = buildMembers(input, branches, anchor, workers, phones, await nextId(db, 'members'));
    // Roles and transfers are decided before the members are written: a done transfer updates the member.
    const roles = buildRoles(input, branches, anchor, drafts);
    const transfers = buildTransfers(input, branches, anchor, drafts);
    for (let start = 0; start < drafts.length; start += CHUNK) {
      const chunk = drafts.slice(start, start + CHUNK);
      await writeChunk(input, 'members', memberColumns, chunk.map((m) => m.row));
    }
    await moveStagedGrams(input, 'members');
    await syncSequence(db, 'members');
    const roleWriter = new ChunkWriter(db, 'memberRoles', roleColumns);
    for (const role of roles) await roleWriter.push(role);
    await roleWriter.flush();
    summary.memberRoles = roles.length;
    await db.transaction().execute((trx) => insertRows(trx, 'memberTransfers', transferColumns, transfers as never));
    summary.memberTransfers = transfers.length;
    const declarations = buildDeclarations(input, branches, anchor, workers, drafts);
    await db.transaction().execute((trx) => insertRows(trx, 'memberDeclarations', declarationColumns, declarations as never));
    summary.memberDeclarations = declarations.length;
    const secretary = anchor ? drafts[anchor.members[0] as number] : undefined;
    if (secretary && input.users?.branch !== undefined) {
      await db.updateTable('users').set({ memberId: secretary.id }).where('id', '=', input.users.branch).execute();
    }
    return drafts;
  });
  summary.members = members.length;

  const liaison = await timed('people:liaison', () => seedLiaison(input, branches, workers, members));
  summary.liaisonAssignments = liaison.assignments;
  summary.liaisonContacts = liaison.contacts;
  return summary;
}
