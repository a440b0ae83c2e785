// The volunteers API contract (the web app reads this file): teams and their rosters, vanguard posts,
// service records and the hours ledger, community grid roles, and a person's own volunteering.
import { z } from 'zod';
import { MAX_ROW_ID } from '../../core/ids.js';
import { calendarDateSchema } from '../../core/calendar.schema.js';

// Hours a person may log for one day of service: half an hour to twelve, in half-hour steps.
export const MIN_HOURS = 0.5;
export const MAX_HOURS = 12;
export const HOURS_STEP = 0.5;

export const teamRoles = ['leader', 'volunteer'] as const;
export const serviceStatuses = ['pending', 'verified', 'rejected'] as const;
export const vanguardKinds = ['safety', 'service', 'mutual_aid', 'civility', 'other'] as const;
export const gridRoleTitles = ['grid_member', 'part_time_grid_member'] as const;

export const vanguardKindNames: Record<(typeof vanguardKinds)[number], { zh: string; en: string }> = {
  safety: { zh: '安全驾驶', en: 'Safe driving' },
  service: { zh: '暖心服务', en: 'Caring service' },
  mutual_aid: { zh: '互助帮扶', en: 'Mutual aid' },
  civility: { zh: '文明出行', en: 'Civility' },
  other: { zh: '其他', en: 'Other' },
};
export const gridRoleTitleNames: Record<(typeof gridRoleTitles)[number], { zh: string; en: string }> = {
  grid_member: { zh: '网格员', en: 'Grid member' },
  part_time_grid_member: { zh: '兼职网格员', en: 'Part-time grid member' },
};

const dateSchema = calendarDateSchema;
const id = z.coerce.number().int().positive().max(MAX_ROW_ID);
const text = (max: number) => z.string().trim().min(1).max(max);

export const teamRoleSchema = z.enum(teamRoles);
export const serviceStatusSchema = z.enum(serviceStatuses);
export const vanguardKindSchema = z.enum(vanguardKinds);
export const gridRoleTitleSchema = z.enum(gridRoleTitles);
export const hoursSchema = z.number().min(MIN_HOURS).max(MAX_HOURS).multipleOf(HOURS_STEP).describe('0.5 to 12, in steps of 0.5');

export const idParamsSchema = z.object({ id });
export const rosterEntryParamsSchema = z.object({ id, entryId: id });

/**
 * A person on a roster or in a ledger: a worker or a member, exactly one of the two ids. A team leader
 * who is not staff sees names only: both ids are null, as whether someone is a member is not theirs to know.
 */
const personRefSchema = z.object({
  workerId: z.number().int().nullable(),
  memberId: z.number().int().nullable(),
  /** Null when a worker withdrew consent: they keep their place, their name is not shown. */
  name: z.string().nullable(),
});

const periodQuery = {
  from: dateSchema.optional().describe('First service date counted (default: a year before to)'),
  to: dateSchema.optional().describe('Last service date counted (default: today in China)'),
};

// ---------------------------------------------------------------------------------------------
// Teams and rosters

export const createTeamBodySchema = z.strictObject({
  unitId: z.number().int().positive().max(MAX_ROW_ID),
  name: text(80),
  description: z.string().trim().max(2000).optional(),
  leaderMemberId: z.number().int().positive().max(MAX_ROW_ID).describe('The leader is always a member; volunteers need not be'),
  foundedOn: dateSchema.optional().describe('Default: today'),
});

export const updateTeamBodySchema = z
  .strictObject({
    name: text(80).optional(),
    description: z.string().trim().max(2000).nullable().optional(),
    leaderMemberId: z.number().int().positive().max(MAX_ROW_ID).optional().describe('Hands the team over; the old leader stays on as a volunteer'),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change', path: ['name'] });

export const closeTeamBodySchema = z.strictObject({
  closedOn: dateSchema.optional().describe('Default: today'),
  reason: text(500),
});

export const listTeamsQuerySchema = z.strictObject({
  unitId: id.optional().describe('A subtree; default everything in the caller’s scope'),
  status: z.enum(['open', 'closed', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const teamSummarySchema = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  foundedOn: z.string(),
  closedOn: z.string().nullable(),
  activeVolunteers: z.number().int(),
});

export const rosterEntrySchema = personRefSchema.extend({
  id: z.number().int(),
  role: teamRoleSchema,
  joinedOn: z.string(),
  leftOn: z.string().nullable(),
});

export const teamDetailSchema = teamSummarySchema.extend({
  closeReason: z.string().nullable(),
  leaderMemberId: z.number().int(),
  /** Names of people: only for those who may read them (staff with person.read, the leader); every read is audited. */
  roster: z.array(rosterEntrySchema).nullable(),
  canManage: z.boolean(),
  canVerify: z.boolean(),
});

export const addToRosterBodySchema = z
  .strictObject({
    workerId: z.number().int().positive().max(MAX_ROW_ID).optional(),
    memberId: z.number().int().positive().max(MAX_ROW_ID).optional(),
    role: teamRoleSchema.default('volunteer').describe('leader: only a member (a worker is taken as the member record linked to them)'),
    joinedOn: dateSchema.optional(),
  })
  .refine((b) => (b.workerId === undefined) !== (b.memberId === undefined), { message: 'give exactly one of workerId and memberId', path: ['workerId'] });

export const membershipSchema = z.object({
  id: z.number().int(),
  teamId: z.number().int(),
  role: teamRoleSchema,
  joinedOn: z.string(),
  leftOn: z.string().nullable(),
});

// ---------------------------------------------------------------------------------------------
// Service records and the ledger

export const createRecordBodySchema = z
  .strictObject({
    serviceDate: dateSchema,
    hours: hoursSchema,
    description: text(1000).describe('What was done'),
    workerId: z.number().int().positive().max(MAX_ROW_ID).optional().describe('For someone on the roster (leader or staff); default: oneself'),
    memberId: z.number().int().positive().max(MAX_ROW_ID).optional(),
  })
  .refine((b) => b.workerId === undefined || b.memberId === undefined, { message: 'give at most one of workerId and memberId', path: ['workerId'] });

export const listRecordsQuerySchema = z.strictObject({
  status: serviceStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const serviceRecordSchema = personRefSchema.extend({
  id: z.number().int(),
  teamId: z.number().int(),
  serviceDate: z.string(),
  hours: z.number(),
  description: z.string(),
  status: serviceStatusSchema,
  rejectReason: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const rejectBodySchema = z.strictObject({ reason: text(500) });

export const queueQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

/** A pending record awaiting the caller's decision, with the team it was logged for. */
export const queueItemSchema = serviceRecordSchema.extend({ teamName: z.string(), unitName: z.string() });

export const hoursQuerySchema = z.strictObject({ unitId: id, ...periodQuery });

const totalsSchema = z.object({
  verifiedHours: z.number(),
  pendingHours: z.number(),
  verifiedRecords: z.number().int(),
  pendingRecords: z.number().int(),
});

export const teamHoursSchema = totalsSchema.extend({ teamId: z.number().int(), name: z.string(), volunteers: z.number().int() });

/** Aggregates only: no person appears. */
export const unitHoursSchema = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  from: z.string(),
  to: z.string(),
  total: totalsSchema.extend({ volunteers: z.number().int() }),
  teams: z.array(teamHoursSchema),
});

export const ledgerQuerySchema = z.strictObject({
  unitId: id,
  ...periodQuery,
  limit: z.coerce.number().int().min(1).max(1000).default(200).describe('Person rows, most verified hours first'),
});

export const personHoursSchema = personRefSchema.extend(totalsSchema.shape).extend({ teams: z.number().int() });

/** The ledger with people's names: a read of personal data, audited. */
export const ledgerSchema = unitHoursSchema.extend({
  people: z.array(personHoursSchema),
  peopleTotal: z.number().int(),
});

// ---------------------------------------------------------------------------------------------
// Vanguard posts (先锋岗)

export const createPostBodySchema = z.strictObject({
  unitId: z.number().int().positive().max(MAX_ROW_ID),
  title: text(80).describe('e.g. 安全驾驶先锋岗'),
  kind: vanguardKindSchema,
  duties: text(2000),
  holderMemberId: z.number().int().positive().max(MAX_ROW_ID).optional(),
  fromDate: dateSchema.optional().describe('Start of the first holder’s term; default today'),
  toDate: dateSchema.optional(),
});

export const assignHolderBodySchema = z
  .strictObject({
    memberId: z.number().int().positive().max(MAX_ROW_ID),
    fromDate: dateSchema.optional().describe('Default today; an open-ended current holder hands over the day before'),
    toDate: dateSchema.optional(),
  })
  .refine((b) => b.toDate === undefined || b.fromDate === undefined || b.toDate >= b.fromDate, { message: 'toDate is before fromDate', path: ['toDate'] });

export const endPostBodySchema = z.strictObject({
  toDate: dateSchema.optional().describe('Last day of the current holder; default today'),
  reason: z.string().trim().max(500).optional(),
  closePost: z.boolean().default(false).describe('Retire the post itself as well'),
});

export const listPostsQuerySchema = z.strictObject({
  unitId: id.optional(),
  status: z.enum(['open', 'closed', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const postTermSchema = z.object({
  id: z.number().int(),
  memberId: z.number().int(),
  name: z.string().nullable(),
  fromDate: z.string(),
  toDate: z.string().nullable(),
  endReason: z.string().nullable(),
});

export const vanguardPostSchema = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  title: z.string(),
  kind: vanguardKindSchema,
  duties: z.string(),
  closedOn: z.string().nullable(),
  /** Whether someone holds it today; who, only for those who may read people (audited). */
  held: z.boolean(),
  holder: postTermSchema.nullable(),
});

export const postDetailSchema = vanguardPostSchema.extend({ terms: z.array(postTermSchema).nullable() });

// ---------------------------------------------------------------------------------------------
// Community grid roles (网格员)

export const createGridRoleBodySchema = z
  .strictObject({
    workerId: z.number().int().positive().max(MAX_ROW_ID),
    unitId: z.number().int().positive().max(MAX_ROW_ID).optional().describe('The unit whose staff keep this record; default the worker’s serving unit'),
    communityName: text(100).describe('e.g. 玉林社区'),
    cityCode: z.string().regex(/^\d{6}$/, 'GB/T 2260 code'),
    gridName: text(100),
    gridNumber: z.string().trim().max(40).optional(),
    roleTitle: gridRoleTitleSchema,
    fromDate: dateSchema,
    toDate: dateSchema.optional(),
  })
  .refine((b) => b.toDate === undefined || b.toDate >= b.fromDate, { message: 'toDate is before fromDate', path: ['toDate'] });

export const endGridRoleBodySchema = z.strictObject({
  toDate: dateSchema.optional().describe('Default today'),
  reason: z.string().trim().max(500).optional(),
});

export const listGridRolesQuerySchema = z.strictObject({
  unitId: id,
  active: z.enum(['true', 'false', 'all']).default('true'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const gridRoleSchema = z.object({
  id: z.number().int(),
  workerId: z.number().int(),
  name: z.string().nullable(),
  unitId: z.number().int(),
  communityName: z.string(),
  cityCode: z.string(),
  cityName: z.string().nullable(),
  gridName: z.string(),
  gridNumber: z.string().nullable(),
  roleTitle: gridRoleTitleSchema,
  fromDate: z.string(),
  toDate: z.string().nullable(),
  endReason: z.string().nullable(),
});

// ---------------------------------------------------------------------------------------------
// My volunteering (the phone page)

export const myVolunteeringSchema = z.object({
  teams: z.array(membershipSchema.extend({ teamName: z.string(), teamClosedOn: z.string().nullable() })),
  /** Open teams of the units above and below mine: anyone may join, membership is never asked. */
  openTeams: z.array(teamSummarySchema),
  totals: totalsSchema,
  records: z.array(serviceRecordSchema.omit({ workerId: true, memberId: true, name: true }).extend({ teamName: z.string() })),
  posts: z.array(postTermSchema.omit({ memberId: true, name: true }).extend({ postId: z.number().int(), title: z.string(), unitName: z.string() })),
  gridRoles: z.array(gridRoleSchema.omit({ workerId: true, name: true, unitId: true })),
});

export type CreateTeamInput = z.infer<typeof createTeamBodySchema>;
export type UpdateTeamInput = z.infer<typeof updateTeamBodySchema>;
export type AddToRosterInput = z.infer<typeof addToRosterBodySchema>;
export type CreateRecordInput = z.infer<typeof createRecordBodySchema>;
export type CreatePostInput = z.infer<typeof createPostBodySchema>;
export type AssignHolderInput = z.infer<typeof assignHolderBodySchema>;
export type CreateGridRoleInput = z.infer<typeof createGridRoleBodySchema>;
export type TeamSummary = z.infer<typeof teamSummarySchema>;
export type RosterEntry = z.infer<typeof rosterEntrySchema>;
export type ServiceRecordView = z.infer<typeof serviceRecordSchema>;
export type QueueItemView = z.infer<typeof queueItemSchema>;
export type GridRoleView = z.infer<typeof gridRoleSchema>;
export type PostTermView = z.infer<typeof postTermSchema>;
