import type { Kysely } from 'kysely';
import type { Job } from '../../core/jobs.js';
import type { Actor } from '../../core/scope.js';
import type { Database } from '../../db/tables.js';
import type { ImportJobView } from './imports.schema.js';

type Db = Kysely<Database>;

export async function findImportJob(db: Db, id: number): Promise<Job | undefined> {
  return db.selectFrom('importJobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listImportJobsOf(db: Db, userId: number, limit: number): Promise<Job[]> {
  return db.selectFrom('importJobs').selectAll().where('createdBy', '=', userId).orderBy('id', 'desc').limit(limit).execute();
}

/**
 * The job's creator as an actor, with the grants they hold now: a background job acts with the
 * rights of whoever queued it, and loses those they have lost since.
 */
export async function actorOfUser(db: Db, userId: number): Promise<Actor> {
  const user = await db.selectFrom('users').select(['id', 'username', 'displayName', 'locale', 'disabledAt']).where('id', '=', userId).executeTakeFirstOrThrow();
  const grants = user.disabledAt
    ? []
    : await db
        .selectFrom('roleGrants')
        .leftJoin('orgUnits', 'orgUnits.id', 'roleGrants.unitId')
        .select(['roleGrants.role', 'roleGrants.unitId', 'orgUnits.path as unitPath', 'orgUnits.name as unitName'])
        .where('roleGrants.userId', '=', userId)
        .execute();
  return { userId, username: user.username, displayName: user.displayName, locale: user.locale, grants, sessionId: 'job', sessionKind: 'bearer', csrfToken: '' };
}

/** Rejections in row order, a page at a time, for the error report. */
export async function* importErrorsOf(db: Db, jobId: number, pageSize = 1000) {
  let after = { rowNumber: 0, id: 0 };
  for (;;) {
    const page = await db
      .selectFrom('importJobErrors')
      .select(['id', 'rowNumber', 'field', 'message'])
      .where('jobId', '=', jobId)
      .where((eb) => eb.or([eb('rowNumber', '>', after.rowNumber), eb.and([eb('rowNumber', '=', after.rowNumber), eb('id', '>', after.id)])]))
      .orderBy('rowNumber')
      .orderBy('id')
      .limit(pageSize)
      .execute();
    yield* page;
    const last = page[page.length - 1];
    if (!last || page.length < pageSize) return;
    after = { rowNumber: last.rowNumber, id: last.id };
  }
}

export function importJobView(job: Job): ImportJobView {
  const end = job.finishedAt ?? job.heartbeatAt;
  const seconds = job.startedAt && end ? (Date.parse(end) - Date.parse(job.startedAt)) / 1000 : 0;
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    fileName: job.fileName,
    format: job.format,
    dryRun: job.dryRun === 1,
    mapping: JSON.parse(job.mapping) as Record<string, string>,
    rowsDone: job.rowsDone,
    rowsTotal: job.rowsTotal,
    created: job.createdCount,
    updated: job.updatedCount,
    unchanged: job.unchangedCount,
    rejected: job.rejectedCount,
    rowsPerSecond: seconds > 0 ? Math.round(job.rowsDone / seconds) : null,
    error: job.error,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}
