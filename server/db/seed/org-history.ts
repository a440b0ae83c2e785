// A few restructurings from the last year, so the demo's history pages and closed-unit filters
// have something to show: a rename, a move, a merge and a closure. Each episode finds its units by
// city and kind, so it also runs on larger world shapes, and is skipped when they are missing.
//
// Event details are shaped as org.operations.ts records them through the API:
//   created      { name, kind, parentId, platformId, cityCode }   as the unit was created
//   renamed      { name: { from, to } }
//   moved        { fromParentId, toParentId, byMerge? }
//   merged       { sourceId, sourceName, movedChildIds, reason }  on the unit that absorbed another
//   merged_into  { targetId, targetName, reason }                 on the unit merged away (closed)
//   closed       { closedOn, reason }
import { chineseNumeral } from './org-plan.js';
import { addDays } from './random.js';
import { type SeedUnit, type WorldDraft, timeOn } from './org-world.js';

const LUZHOU = '510500';
const CHENGDU = '510100';
const DAZHOU = '511700';

export function applyDemoHistory(draft: WorldDraft): void {
  renameLuzhouCommittee(draft);
  moveFirstBranchUnderItsPlatform(draft);
  mergeLuzhouBranches(draft);
  closeDazhouBranch(draft);
}

/** A time in the last year (after every founding day) and at least a fortnight before today. */
function recentTime(draft: WorldDraft): string {
  return timeOn(draft.rng.dateBetween(addDays(draft.lastFoundingDay, 1), addDays(draft.today, -14)), draft.rng);
}

function openChildren(draft: WorldDraft, parent: SeedUnit) {
  return draft.units.filter((u) => u.parentId === parent.id && u.closedOn === null);
}

/** The same instant some minutes earlier: for the steps a restructuring takes before its last one. */
function minutesBefore(at: string, minutes: number): string {
  return new Date(Date.parse(at) - minutes * 60_000).toISOString();
}

function touch(unit: SeedUnit, at: string) {
  if (at > unit.updatedAt) unit.updatedAt = at;
}

// Many cities first set up a committee for "new forms of transport" and widened it to every new
// employment group once couriers and riders joined: the rename keeps the unit and its history.
function renameLuzhouCommittee(draft: WorldDraft) {
  const committee = draft.units.find((u) => u.kind === 'industry_committee' && u.depth > 0 && u.cityCode === LUZHOU);
  if (!committee) return;
  const from = '泸州市交通运输新业态行业党委';
  const at = recentTime(draft);
  draft.origins.set(committee.id, { ...draft.origins.get(committee.id), name: from });
  draft.events.push({ unitId: committee.id, kind: 'renamed', at, detail: { name: { from, to: committee.name } } });
  touch(committee, at);
}

// A local platform's first branch was hosted by the city committee before the platform had a
// committee of its own; when that committee was founded, the branch moved beneath it.
function moveFirstBranchUnderItsPlatform(draft: WorldDraft) {
  const cityCommittee = draft.units.find((u) => u.kind === 'industry_committee' && u.depth > 0 && u.cityCode === CHENGDU);
  const platformCommittee = cityCommittee && draft.units.findLast((u) => u.kind === 'platform_committee' && u.parentId === cityCommittee.id);
  const branch = platformCommittee && draft.units.find((u) => u.kind === 'mobile_branch' && u.parentId === platformCommittee.id);
  if (!cityCommittee || !platformCommittee || !branch) return;
  // Founded before the platform committee, after the city committee.
  const earliest = addDays(cityCommittee.establishedOn, 10);
  const day = addDays(platformCommittee.establishedOn, -draft.rng.int(90, 300));
  branch.establishedOn = day > earliest ? day : earliest;
  branch.createdAt = timeOn(branch.establishedOn, draft.rng);
  branch.updatedAt = branch.createdAt;
  const at = timeOn(addDays(platformCommittee.establishedOn, draft.rng.int(2, 10)), draft.rng);
  draft.origins.set(branch.id, { ...draft.origins.get(branch.id), parentId: cityCommittee.id });
  draft.events.push({
    unitId: branch.id,
    kind: 'moved',
    at,
    detail: { fromParentId: cityCommittee.id, toParentId: platformCommittee.id },
  });
  touch(branch, at);
}

// Two small branches of one platform merge when members leave the city: the later-numbered branch
// closes and its groups move to the first branch. As the org module refuses a merge that would put
// two groups of the same name under one branch, the groups are renumbered first.
function mergeLuzhouBranches(draft: WorldDraft) {
  const branches = draft.units.filter((u) => u.kind === 'mobile_branch' && u.cityCode === LUZHOU && u.closedOn === null);
  const parentId = branches.find((b) => branches.filter((o) => o.parentId === b.parentId).length >= 2)?.parentId;
  const siblings = branches.filter((b) => b.parentId === parentId);
  const target = siblings[0];
  const source = siblings[siblings.length - 1];
  if (!target || !source || target === source) return;
  // Foreign keys are checked row by row on insert: the unit merged into must come first.
  if (target.id > source.id) throw new Error('A merge target must have a smaller id than its source');
  const at = recentTime(draft);
  const reason = '支部党员人数减少，为便于组织生活合并支部';
  const moved = openChildren(draft, source);
  let number = openChildren(draft, target).length;
  moved.forEach((group, i) => {
    const from = group.name;
    group.name = `第${chineseNumeral(++number)}党小组`;
    const renamedAt = minutesBefore(at, 10 - i);
    if (group.name !== from) {
      draft.origins.set(group.id, { ...draft.origins.get(group.id), name: from });
      draft.events.push({ unitId: group.id, kind: 'renamed', at: renamedAt, detail: { name: { from, to: group.name } } });
    }
    draft.origins.set(group.id, { ...draft.origins.get(group.id), parentId: source.id });
    group.parentId = target.id;
    group.path = `${target.path}${group.id}/`;
    group.depth = target.depth + 1;
    draft.events.push({ unitId: group.id, kind: 'moved', at, detail: { fromParentId: source.id, toParentId: target.id, byMerge: true } });
    touch(group, at);
  });
  source.closedOn = at.slice(0, 10);
  source.closeReason = reason;
  source.mergedIntoId = target.id;
  touch(source, at);
  touch(target, at);
  const movedChildIds = moved.map((g) => g.id);
  draft.events.push({ unitId: target.id, kind: 'merged', at, detail: { sourceId: source.id, sourceName: source.name, movedChildIds, reason } });
  draft.events.push({ unitId: source.id, kind: 'merged_into', at, detail: { targetId: target.id, targetName: target.name, reason } });
}

// A platform stopped its service in a city; the branch closed once every member's relation
// had been transferred, and its groups closed just before it.
function closeDazhouBranch(draft: WorldDraft) {
  const branch = draft.units.findLast((u) => u.kind === 'mobile_branch' && u.cityCode === DAZHOU && u.closedOn === null);
  if (!branch) return;
  const at = recentTime(draft);
  const closedOn = at.slice(0, 10);
  const close = (unit: SeedUnit, reason: string, when: string) => {
    unit.closedOn = closedOn;
    unit.closeReason = reason;
    touch(unit, when);
    draft.events.push({ unitId: unit.id, kind: 'closed', at: when, detail: { closedOn, reason } });
  };
  // The org module closes only units with nothing open beneath, so the groups close first.
  const groups = openChildren(draft, branch);
  groups.forEach((group, i) => close(group, '所在支部撤销', minutesBefore(at, groups.length - i)));
  close(branch, '平台暂停本市业务，支部党员的组织关系已全部转出', at);
}
