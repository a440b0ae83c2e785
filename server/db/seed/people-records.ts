// What happens to members and workers over time: transfers, self-declarations, liaison and contacts.
import { chinaDate } from '../../core/clock.js';
import { encryptNullable } from '../../core/sensitive.js';
import { timeOn } from './org-world.js';
import { Random, addDays, weightedPicker } from './random.js';
import { contactChannelWeights, contactChannels, contactNotes, declarationRejectReasons, demands, homeOrgText, transferReasons, transferRejectReasons } from './people-vocabulary.js';
import { type Branch, ChunkWriter, type PeopleInput, type Row, type WorkerFacts } from './people-parts.js';
import { type MemberDraft, dateOfWorkerDay, dayIn, earlier, homeOf, later } from './people-members.js';

// ---------------------------------------------------------------------------------------------
// Transfers

export const transferColumns = [
  'memberId', 'fromUnitId', 'toUnitId', 'status', 'reason', 'rejectReason', 'requestedAt', 'requestedBy', 'approvedAt', 'approvedBy',
  'acceptedAt', 'acceptedBy', 'doneAt', 'rejectedAt', 'rejectedBy',
] as const;

/** Chooses transfers in each state; a done one moves the member (the row still to be inserted). */
export function buildTransfers(input: PeopleInput, branches: Branch[], anchor: Branch | undefined, members: MemberDraft[]): Row[] {
  const rng = Random.stream(input.seed, 'people:transfers');
  const { codec } = input;
  const today = chinaDate(input.now);
  const yesterday = addDays(today, -1);
  const perState = Math.max(2, Math.round(members.length / 130));
  const oldEnough = addDays(today, -160);
  // Anyone without a role, not also a worker (whose branch follows their platform), and on record for a while.
  const candidates = rng.shuffle(members.filter((m) => !m.roles && m.worker < 0 && m.createdOn <= oldEnough));
  // The demo branch has one of each, so its pages show both sides of the workflow.
  candidates.sort((a, b) => Number(b.branch === anchor) - Number(a.branch === anchor));
  const byPlatform = new Map<string, Branch[]>();
  for (const b of branches) byPlatform.set(b.platformCode, [...(byPlatform.get(b.platformCode) ?? []), b]);
  const otherBranch = (branch: Branch): Branch | null => {
    const same = (byPlatform.get(branch.platformCode) ?? []).filter((b) => b !== branch);
    if (same.length && rng.chance(0.7)) return rng.pick(same);
    const any = branches.filter((b) => b !== branch);
    return any.length ? rng.pick(any) : null;
  };
  const at = (from: string, to: string) => timeOn(dayIn(rng, from, earlier(to, yesterday)), rng);
  const plusDays = (time: string, min: number, max: number) => at(addDays(time.slice(0, 10), min), addDays(time.slice(0, 10), max));
  const rows: Row[] = [];
  const states = ['requested', 'approved', 'done', 'rejected'] as const;
  let next = 0;
  for (const state of states) {
    for (let n = 0; n < perState && next < candidates.length; n++) {
      const member = candidates[next++] as MemberDraft;
      const other = otherBranch(member.branch);
      if (!other) continue;
      member.transferred = true;
      const row: Row = {
        memberId: member.id,
        fromUnitId: member.branch.unit.id,
        toUnitId: other.unit.id,
        status: state,
        reason: codec.encrypt(rng.pick(transferReasons)),
        rejectReason: null,
        requestedAt: '',
        requestedBy: null,
        approvedAt: null,
        approvedBy: null,
        acceptedAt: null,
        acceptedBy: null,
        doneAt: null,
        rejectedAt: null,
        rejectedBy: null,
      };
      if (state === 'requested') row.requestedAt = at(addDays(today, -25), yesterday);
      if (state === 'approved') {
        row.requestedAt = at(addDays(today, -40), addDays(today, -10));
        row.approvedAt = plusDays(row.requestedAt, 1, 5);
      }
      if (state === 'done') {
        // Arrived here from another branch: the member is hosted by the receiving branch now.
        row.fromUnitId = other.unit.id;
        row.toUnitId = member.branch.unit.id;
        row.requestedAt = at(addDays(today, -150), addDays(today, -40));
        row.approvedAt = plusDays(row.requestedAt, 1, 5);
        row.acceptedAt = plusDays(row.approvedAt, 1, 5);
        row.doneAt = row.acceptedAt;
        member.row.updatedAt = row.doneAt;
      }
      if (state === 'rejected') {
        row.requestedAt = at(addDays(today, -90), addDays(today, -20));
        // Half are turned down by the sending side, half by the receiving side after approval.
        if (rng.chance(0.5)) row.approvedAt = plusDays(row.requestedAt, 1, 5);
        row.rejectedAt = plusDays((row.approvedAt ?? row.requestedAt) as string, 1, 10);
        row.rejectReason = codec.encrypt(rng.pick(transferRejectReasons));
      }
      rows.push(row);
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Declarations (摸排)

export const declarationColumns = ['workerId', 'unitId', 'unitPath', 'homeOrgText', 'joinDate', 'status', 'decisionReason', 'decidedAt', 'decidedBy', 'memberId', 'createdAt'] as const;

export function buildDeclarations(input: PeopleInput, branches: Branch[], anchor: Branch | undefined, workers: WorkerFacts, members: MemberDraft[]): Row[] {
  const rng = Random.stream(input.seed, 'people:declarations');
  const { codec } = input;
  const today = chinaDate(input.now);
  const yesterday = addDays(today, -1);
  const rows: Row[] = [];
  const declared = new Set<number>();
  for (const m of members) if (m.worker >= 0) declared.add(m.worker);
  // Verified: half the mobile members who are also workers came to light by declaring themselves.
  for (const m of members) {
    if (m.worker < 0 || m.homeOrgText === null || !rng.chance(0.5)) continue;
    const workerCreated = dateOfWorkerDay(workers.createdDay[m.worker] as number);
    const filed = dayIn(rng, later(workerCreated, addDays(m.createdOn, -10)), m.createdOn);
    rows.push({
      workerId: workers.firstId + m.worker,
      unitId: m.branch.unit.id,
      unitPath: m.branch.unit.path,
      homeOrgText: codec.encrypt(m.homeOrgText),
      joinDate: codec.encrypt(m.joinDate),
      status: 'verified',
      decisionReason: null,
      decidedAt: m.row.createdAt,
      decidedBy: null,
      memberId: m.id,
      createdAt: timeOn(filed, rng),
    });
  }
  const declarer = (branch: Branch): number => {
    for (let tries = 0; tries < 20; tries++) {
      const w = rng.pick(branch.workers) - workers.firstId;
      if (w > 0 && workers.reachable[w] === 1 && !declared.has(w)) {
        declared.add(w);
        return w;
      }
    }
    return -1;
  };
  const fresh = (status: 'pending' | 'rejected', branch: Branch) => {
    const w = branch.workers.length ? declarer(branch) : -1;
    if (w < 0) return;
    const home = homeOf(rng, branch);
    const workerCreated = dateOfWorkerDay(workers.createdDay[w] as number);
    const filed = status === 'pending' ? dayIn(rng, later(workerCreated, addDays(today, -30)), yesterday) : dayIn(rng, later(workerCreated, addDays(today, -120)), addDays(today, -20));
    rows.push({
      workerId: workers.firstId + w,
      unitId: branch.unit.id,
      unitPath: branch.unit.path,
      homeOrgText: codec.encrypt(homeOrgText(rng, home.province, home.city)),
      joinDate: codec.encrypt(rng.dateBetween('2000-01-01', addDays(today, -400))),
      status,
      decisionReason: encryptNullable(codec, status === 'rejected' ? rng.pick(declarationRejectReasons) : null),
      decidedAt: status === 'rejected' ? timeOn(dayIn(rng, addDays(filed, 2), earlier(addDays(filed, 10), yesterday)), rng) : null,
      decidedBy: null,
      memberId: null,
      createdAt: timeOn(filed, rng),
    });
  };
  const pending = Math.max(3, Math.round(members.length / 50));
  const rejected = Math.max(2, Math.round(members.length / 100));
  // The demo branch's inbox has two waiting.
  for (let n = 0; n < pending; n++) fresh('pending', n < 2 && anchor ? anchor : rng.pick(branches));
  for (let n = 0; n < rejected; n++) fresh('rejected', rng.pick(branches));
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Liaison and the contact log

export const assignmentColumns = ['workerId', 'memberId', 'assignedAt', 'assignedBy'] as const;
export const contactColumns = ['memberId', 'workerId', 'contactedOn', 'channel', 'notes', 'demandsRaised', 'createdAt', 'createdBy'] as const;

export async function seedLiaison(input: PeopleInput, branches: Branch[], workers: WorkerFacts, members: MemberDraft[]): Promise<{ assignments: number; contacts: number }> {
  const rng = Random.stream(input.seed, 'people:liaison');
  const contactRng = Random.stream(input.seed, 'people:contacts');
  const today = chinaDate(input.now);
  const yesterday = addDays(today, -1);
  const window = addDays(today, -90);
  const assignments = new ChunkWriter(input.db, 'liaisonAssignments', assignmentColumns);
  const contacts = new ChunkWriter(input.db, 'liaisonContacts', contactColumns);
  const pickChannel = weightedPicker(contactChannels, contactChannelWeights);
  const pickContactCount = weightedPicker([0, 1, 2, 3, 4], [25, 35, 22, 12, 6]);
  const linked = new Set<number>();
  for (const m of members) if (m.worker >= 0) linked.add(m.worker);
  for (const branch of branches) {
    // Workers who are members themselves need no liaison; inactive ones and those who withdrew consent get none.
    const open = rng.shuffle(branch.workers.map((id) => id - workers.firstId).filter((w) => workers.reachable[w] === 1 && !linked.has(w)));
    // Some workers stay without a liaison: the coverage figures have something to show.
    let capacity = Math.floor(open.length * 0.85);
    let next = 0;
    for (const index of rng.shuffle([...branch.members])) {
      const member = members[index] as MemberDraft;
      const profile = rng.next();
      const wanted = profile < 0.12 ? rng.int(0, 3) : profile < 0.9 ? rng.int(6, 10) : rng.int(11, 12);
      const take = Math.min(wanted, capacity);
      capacity -= take;
      // About one member in seven has not contacted anyone lately: the secretary's list of whom to remind.
      const silent = contactRng.chance(0.15);
      for (let n = 0; n < take; n++) {
        const w = open[next++] as number;
        const workerId = workers.firstId + w;
        const assignedOn = dayIn(rng, later(member.createdOn, dateOfWorkerDay(workers.createdDay[w] as number)), yesterday);
        await assignments.push({ workerId, memberId: member.id, assignedAt: timeOn(assignedOn, rng), assignedBy: null });
        if (silent) continue;
        for (let c = pickContactCount(contactRng); c > 0; c--) {
          const on = dayIn(contactRng, later(assignedOn, window), yesterday);
          await contacts.push({
            memberId: member.id,
            workerId,
            contactedOn: on,
            channel: pickChannel(contactRng),
            notes: contactRng.pick(contactNotes),
            demandsRaised: contactRng.chance(0.2) ? contactRng.pick(demands) : null,
            createdAt: timeOn(on, contactRng),
            createdBy: null,
          });
        }
      }
    }
  }
  await assignments.flush();
  await contacts.flush();
  return { assignments: assignments.count, contacts: contacts.count };
}
