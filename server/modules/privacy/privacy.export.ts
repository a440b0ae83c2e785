// A person's right of access (PIPL art. 45): everything Convoy holds about the logged-in person, in
// full (their own numbers unmasked), and nothing about anyone else. Appeals filed anonymously are not
// here because nothing stored leads back to the filer; internal notes on appeals are staff working
// papers and stay out, as on the worker's own appeal pages.
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import { recordAudit } from '../../core/audit.js';
import type { Context } from '../../core/context.js';
import { decryptNullable, type SensitiveCodec } from '../../core/sensitive.js';
import type { Database } from '../../db/tables.js';
import { hoursOf } from '../volunteers/volunteers.rules.js';
import { type DataRow, type PersonalData, type PersonalDataKind, personalDataKinds } from './privacy.schema.js';

type Db = Kysely<Database>;

/** The person behind an account: their worker record and member record, when they have them. */
export async function personOf(db: Db, userId: number): Promise<{ workerId: number | null; memberId: number | null }> {
  const user = await db.selectFrom('users').select(['workerId', 'memberId']).where('id', '=', userId).executeTakeFirstOrThrow();
  const workerId = user.workerId ?? (await db.selectFrom('workers').select('id').where('userId', '=', userId).executeTakeFirst())?.id ?? null;
  const memberId = user.memberId ?? (workerId === null ? null : ((await db.selectFrom('members').select('id').where('workerId', '=', workerId).executeTakeFirst())?.id ?? null));
  return { workerId, memberId };
}

const parseJson = (text: string | null): Record<string, unknown> => {
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};
const textOf = (value: unknown): string | null => (typeof value === 'string' ? value : null);

async function workerSections(db: Db, codec: SensitiveCodec, workerId: number) {
  const worker = await db
    .selectFrom('workers as w')
    .innerJoin('platforms as p', 'p.id', 'w.platformId')
    .leftJoin('orgUnits as u', 'u.id', 'w.unitId')
    .select(['w.id', 'w.name', 'w.phoneEnc', 'p.name as platform', 'w.platformWorkerId', 'w.workType', 'w.vehicle', 'w.cityCode', 'u.name as unitName', 'w.status', 'w.consentVersion', 'w.consentAt', 'w.consentWithdrawnAt', 'w.createdAt', 'w.updatedAt'])
    .where('w.id', '=', workerId)
    .executeTakeFirstOrThrow();
  const { phoneEnc, ...rest } = worker;
  const consent = await db
    .selectFrom('auditLog')
    .select(['at', 'action', 'detail'])
    .where('entityType', '=', 'worker')
    .where('entityId', '=', String(workerId))
    .where('action', 'in', ['worker.consent', 'worker.consent_withdrawn'])
    .orderBy('id')
    .execute();
  const appeals = await db
    .selectFrom('appeals as a')
    .innerJoin('orgUnits as u', 'u.id', 'a.unitId')
    .select(['a.id', 'a.category', 'a.description', 'a.status', 'u.name as heldBy', 'a.address', 'a.contactPreference', 'a.receivedAt', 'a.closedAt', 'a.rating', 'a.feedback'])
    .where('a.workerId', '=', workerId)
    .where('a.anonymous', '=', 0)
    .orderBy('a.id')
    .execute();
  const timeline =
    appeals.length === 0
      ? []
      : await db
          .selectFrom('appealEvents')
          .select(['appealId', 'createdAt as at', 'kind', 'fromStatus', 'toStatus', 'body'])
          .where('appealId', 'in', appeals.map((a) => a.id))
          .where('visibility', '=', 'public')
          .orderBy('appealId')
          .orderBy('id')
          .execute();
  const [declarations, contacts, visits, ratings, gridRoles] = await Promise.all([
    db.selectFrom('memberDeclarations').select(['id', 'homeOrgText', 'joinDate', 'status', 'decisionReason', 'decidedAt', 'createdAt']).where('workerId', '=', workerId).orderBy('id').execute(),
    db.selectFrom('liaisonContacts').select(['contactedOn', 'channel', 'notes', 'demandsRaised']).where('workerId', '=', workerId).orderBy('contactedOn').orderBy('id').execute(),
    db.selectFrom('stationVisits as v').innerJoin('stations as s', 's.id', 'v.stationId').select(['s.name as station', 'v.visitedOn', 'v.visitedAt']).where('v.workerId', '=', workerId).orderBy('v.visitedAt').execute(),
    db.selectFrom('stationRatings as r').innerJoin('stations as s', 's.id', 'r.stationId').select(['s.name as station', 'r.stars', 'r.comment', 'r.updatedAt']).where('r.workerId', '=', workerId).execute(),
    db.selectFrom('gridRoles').select(['communityName', 'cityCode', 'gridName', 'gridNumber', 'roleTitle', 'fromDate', 'toDate', 'endReason']).where('workerId', '=', workerId).orderBy('fromDate').execute(),
  ]);
  return {
    worker: [{ ...rest, phone: codec.decrypt(phoneEnc) }],
    consentHistory: consent.map((c) => {
      const detail = parseJson(c.detail);
      return { at: c.at, action: c.action, version: textOf(detail.version), purpose: textOf(detail.purpose), channel: textOf(detail.channel) };
    }),
    memberDeclarations: declarations.map((d) => ({ ...d, homeOrgText: codec.decrypt(d.homeOrgText), joinDate: codec.decrypt(d.joinDate), decisionReason: decryptNullable(codec, d.decisionReason) })),
    appeals,
    appealTimeline: timeline,
    liaisonContacts: contacts,
    stationVisits: visits,
    stationRatings: ratings,
    gridRoles,
  };
}

async function memberSections(db: Db, codec: SensitiveCodec, memberId: number) {
  const member = await db
    .selectFrom('members as m')
    .innerJoin('orgUnits as u', 'u.id', 'm.unitId')
    .select(['m.id', 'm.name', 'm.gender', 'm.birthYear', 'm.phoneEnc', 'm.idCardEnc', 'm.joinDate', 'm.status', 'u.name as unitName', 'm.isMobile', 'm.homeOrgText', 'm.mobilityType', 'm.mobilityReason', 'm.createdAt', 'm.updatedAt'])
    .where('m.id', '=', memberId)
    .executeTakeFirstOrThrow();
  const { phoneEnc, idCardEnc, ...rest } = member;
  const [roles, transfers, posts] = await Promise.all([
    db.selectFrom('memberRoles as r').innerJoin('orgUnits as u', 'u.id', 'r.unitId').select(['u.name as unitName', 'r.role', 'r.fromDate', 'r.toDate']).where('r.memberId', '=', memberId).orderBy('r.fromDate').execute(),
    db
      .selectFrom('memberTransfers as t')
      .innerJoin('orgUnits as f', 'f.id', 't.fromUnitId')
      .innerJoin('orgUnits as to', 'to.id', 't.toUnitId')
      .select(['f.name as fromUnit', 'to.name as toUnit', 't.status', 't.reason', 't.requestedAt', 't.doneAt', 't.rejectReason'])
      .where('t.memberId', '=', memberId)
      .orderBy('t.id')
      .execute(),
    db.selectFrom('vanguardPostTerms as t').innerJoin('vanguardPosts as p', 'p.id', 't.postId').select(['p.title', 'p.kind', 't.fromDate', 't.toDate', 't.endReason']).where('t.memberId', '=', memberId).orderBy('t.fromDate').execute(),
  ]);
  // Membership details and transfer reasons are stored encrypted, like the numbers.
  const membership = { joinDate: codec.decrypt(rest.joinDate), homeOrgText: decryptNullable(codec, rest.homeOrgText), mobilityReason: decryptNullable(codec, rest.mobilityReason) };
  return {
    member: [{ ...rest, ...membership, phone: codec.decrypt(phoneEnc), idCard: codec.decrypt(idCardEnc) }],
    memberRoles: roles,
    memberTransfers: transfers.map((t) => ({ ...t, reason: codec.decrypt(t.reason), rejectReason: decryptNullable(codec, t.rejectReason) })),
    vanguardPosts: posts,
  };
}

/** Volunteering and activities are kept per worker or per member record: either may be the person. */
async function participationSections(db: Db, userId: number, person: { workerId: number | null; memberId: number | null }) {
  const ids = { workerId: person.workerId ?? -1, memberId: person.memberId ?? -1 };
  const [activities, teams, records] = await Promise.all([
    db
      .selectFrom('activityParticipants as p')
      .innerJoin('activities as a', 'a.id', 'p.activityId')
      .select(['a.title', 'a.kind', 'a.startsAt', 'a.address', 'p.status', 'p.signedUpAt', 'p.cancelledAt', 'p.checkedInAt'])
      .where((eb) => eb.or([eb('p.workerId', '=', ids.workerId), eb('p.memberId', '=', ids.memberId), eb('p.userId', '=', userId)]))
      .orderBy('a.startsAt')
      .execute(),
    db
      .selectFrom('volunteerTeamMembers as m')
      .innerJoin('volunteerTeams as t', 't.id', 'm.teamId')
      .select(['t.name as team', 'm.role', 'm.joinedOn', 'm.leftOn'])
      .where((eb) => eb.or([eb('m.workerId', '=', ids.workerId), eb('m.memberId', '=', ids.memberId)]))
      .orderBy('m.joinedOn')
      .execute(),
    db
      .selectFrom('serviceRecords as r')
      .innerJoin('volunteerTeams as t', 't.id', 'r.teamId')
      .select(['t.name as team', 'r.serviceDate', 'r.halfHours', 'r.description', 'r.status', 'r.rejectReason'])
      .where((eb) => eb.or([eb('r.workerId', '=', ids.workerId), eb('r.memberId', '=', ids.memberId)]))
      .orderBy('r.serviceDate')
      .execute(),
  ]);
  return { activities, volunteerTeams: teams, serviceRecords: records.map(({ halfHours, ...r }) => ({ ...r, hours: hoursOf(halfHours) })) };
}

export async function collectPersonalData(db: Db, codec: SensitiveCodec, ctx: Context): Promise<PersonalData> {
  const userId = ctx.actor.userId;
  const person = await personOf(db, userId);
  const account = await db.selectFrom('users').select(['username', 'displayName', 'locale', 'email', 'createdAt']).where('id', '=', userId).execute();
  const roles = await db.selectFrom('roleGrants as g').leftJoin('orgUnits as u', 'u.id', 'g.unitId').select(['g.role', 'u.name as unitName', 'g.createdAt as since']).where('g.userId', '=', userId).orderBy('g.id').execute();
  const notifications = await db.selectFrom('notifications').select(['kind', 'title', 'body', 'createdAt', 'readAt']).where('userId', '=', userId).orderBy('id').execute();
  const deletionRequests = await db.selectFrom('deletionRequests').select(['id', 'status', 'reason', 'requestedAt', 'dueAt', 'decidedAt', 'decisionNote']).where('userId', '=', userId).orderBy('id').execute();
  const sections: Partial<Record<PersonalDataKind, DataRow[]>> = {
    account,
    roles,
    notifications,
    deletionRequests,
    ...(person.workerId === null ? {} : await workerSections(db, codec, person.workerId)),
    ...(person.memberId === null ? {} : await memberSections(db, codec, person.memberId)),
    ...(await participationSections(db, userId, person)),
  };
  const data = Object.fromEntries(personalDataKinds.map((kind) => [kind, sections[kind] ?? []])) as PersonalData['data'];
  return {
    generatedAt: ctx.now.toISOString(),
    notice: {
      zh: '这是同行平台保存的关于您本人的全部个人信息（匿名诉求不在其中：系统没有保存能追溯到您的信息）。',
      en: 'This is all the personal information Convoy holds about you (anonymous appeals are not here: nothing stored leads back to you).',
    },
    data,
  };
}

/** Every export is recorded: a copy of someone's whole record leaving the system is worth knowing about. */
export async function auditExport(db: Db, ctx: Context, format: 'json' | 'xlsx', data: PersonalData): Promise<void> {
  const rows = Object.fromEntries(Object.entries(data.data).map(([kind, list]) => [kind, list.length]));
  await recordAudit(db, { actor: ctx.actor, action: 'privacy.export', entityType: 'user', entityId: ctx.actor.userId, ip: ctx.ip, at: ctx.now, detail: { format, rows } });
}

export const sheetNames: Record<PersonalDataKind, string> = {
  account: '账号 Account',
  roles: '角色 Roles',
  worker: '劳动者 Worker',
  consentHistory: '同意记录 Consent',
  member: '党员 Member',
  memberRoles: '党内职务 Member roles',
  memberTransfers: '关系转接 Transfers',
  memberDeclarations: '身份申报 Declarations',
  appeals: '诉求 Appeals',
  appealTimeline: '诉求进展 Appeal timeline',
  liaisonContacts: '联系记录 Contacts',
  activities: '活动 Activities',
  stationVisits: '站点到访 Station visits',
  stationRatings: '站点评价 Station ratings',
  volunteerTeams: '志愿服务队 Teams',
  serviceRecords: '服务时长 Service hours',
  vanguardPosts: '先锋岗 Vanguard posts',
  gridRoles: '网格员 Grid roles',
  notifications: '通知 Notifications',
  deletionRequests: '删除申请 Deletion requests',
};

/** One sheet per kind, a header row of field names, then the rows; an empty kind says so. */
export async function personalDataWorkbook(data: PersonalData): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(data.generatedAt);
  for (const kind of personalDataKinds) {
    const sheet = workbook.addWorksheet(sheetNames[kind]);
    const rows = data.data[kind];
    const first = rows[0];
    if (!first) {
      sheet.addRow(['（无 / none）']);
      continue;
    }
    const columns = Object.keys(first);
    sheet.addRow(columns);
    for (const row of rows) sheet.addRow(columns.map((c) => row[c] ?? null));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
