import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../core/actor.js';
import { recordAudit } from '../../core/audit.js';
import type { AppDeps } from '../../core/deps.js';
import { forbidden, invalid, notFound } from '../../core/errors.js';
import type { JobRunner } from '../../core/jobs.js';
import { isSystemAdmin, scopePaths } from '../../core/scope.js';
import { formatOf, readHeader, removeUpload, storeUpload, XLSX_MIME } from './imports.files.js';
import { findImportJob, importErrorsOf, importJobView, listImportJobsOf } from './imports.queries.js';
import { mapMemberHeaders, memberHeaderAliases, memberImportFields } from './imports.members.rules.js';
import { csvLine, IMPORTS_PER_WINDOW, mapWorkerHeaders, workerHeaderAliases, workerImportFields } from './imports.rules.js';
import { createImportQuerySchema, importIdParamsSchema, importJobSchema, listImportsQuerySchema } from './imports.schema.js';

const tags = ['imports'];

export type ImportRouteDeps = AppDeps & { jobs: JobRunner };

function parseMapping<F extends string>(raw: string | undefined, fields: readonly [F, ...F[]]): Partial<Record<F, string>> {
  if (!raw) return {};
  const bad = () => invalid('querystring.mapping', { zh: '列映射应为 JSON 对象：字段 → 表头', en: 'mapping must be a JSON object: field → column header' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw bad();
  }
  const result = z.partialRecord(z.enum(fields), z.string().max(100)).safeParse(parsed);
  if (!result.success) throw bad();
  return result.data;
}

type Kind = {
  fields: readonly [string, ...string[]];
  aliases: Record<string, readonly string[]>;
  map: (header: readonly string[], explicit: Record<string, string>) => { columns: Record<string, number | undefined>; missing: string[] };
  summary: string;
  description: string;
};

const kinds: Record<'workers' | 'members', Kind> = {
  workers: {
    fields: workerImportFields,
    aliases: workerHeaderAliases,
    map: mapWorkerHeaders,
    summary: 'Upload a CSV or XLSX of workers as the request body; answers 202 with a queued import job',
    description:
      'Headers in Chinese or English are recognized: 姓名/name, 手机号/phone, 平台/platform (code or name), 平台工号/platformWorkerId, ' +
      '工作类型/workType, 车辆/vehicle, 城市/city (GB/T 2260 code or city name), 状态/status. Rows are upserted by (platform, platformWorkerId) ' +
      'into serving units inside your scope; with dryRun=true every row is validated and counted but nothing is written.',
  },
  members: {
    fields: memberImportFields,
    aliases: memberHeaderAliases,
    map: mapMemberHeaders,
    summary: 'Upload a CSV or XLSX of members as the request body; answers 202 with a queued import job',
    description:
      'Headers in Chinese or English are recognized: 姓名/name, 性别/gender (男/女), 出生年份/birthYear, 手机号/phone, 身份证号/idCard, 入党日期/joinDate, ' +
      '状态/status (预备党员/正式党员), 所在支部/unit (unit id or exact name within your scope), 流动党员/isMobile (是/否), 组织关系所在地/homeOrgText, 流动类型/mobilityType. ' +
      'Rows are upserted by ID number; the host must be an open mobile branch within your scope, and an import never moves a member to another branch ' +
      '(that is a transfer). With dryRun=true every row is validated and counted but nothing is written.',
  },
};

export const importRoutes: FastifyPluginAsyncZod<ImportRouteDeps> = async (app, deps) => {
  const { db, clock, jobs } = deps;

  // The file is the request body, streamed to disk: no multipart, no buffering in memory.
  app.addContentTypeParser(['text/csv', XLSX_MIME, 'application/octet-stream'], (_request, payload, done) => done(null, payload));

  for (const [kind, spec] of Object.entries(kinds) as ['workers' | 'members', Kind][]) {
    app.post(
      `/imports/${kind}`,
      {
        // Each upload is stored and becomes a background job: a client in a loop could fill the disk and
        // starve other imports. Twenty in ten minutes is far above what a person needs.
        config: { rateLimit: { max: IMPORTS_PER_WINDOW, timeWindow: '10 minutes', keyGenerator: (request: FastifyRequest) => (request.actor ? `user:${request.actor.userId}` : request.ip) } },
        schema: {
          tags,
          summary: spec.summary,
          description: `Send the file itself as the body with Content-Type text/csv, ${XLSX_MIME} or application/octet-stream (the fileName extension then decides). ${spec.description}`,
          querystring: createImportQuerySchema,
          response: { 202: importJobSchema },
        },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const writable = scopePaths(actor, 'person.write');
        if (writable !== 'all' && writable.length === 0) throw forbidden('person.write');
        const { fileName, dryRun } = request.query;
        const explicit = parseMapping(request.query.mapping, spec.fields);
        const format = formatOf(fileName, request.headers['content-type']);
        if (!format) throw invalid('querystring.fileName', { zh: '只能导入 .csv 或 .xlsx 文件', en: 'Only .csv and .xlsx files can be imported' });
        if (!(request.body instanceof Readable)) throw invalid('body', { zh: '请以文件内容作为请求正文上传', en: 'Send the file as the request body' });
        const path = await storeUpload(deps.config.databaseUrl, request.body, format);
        let header: string[];
        try {
          header = await readHeader(path, format);
        } catch (error) {
          // The person is told only that the file is unreadable; why (a zip error, a short upload) goes to the log.
          request.log.warn({ err: error, format }, 'import: the uploaded file could not be read');
          await removeUpload(path);
          throw invalid('body', { zh: '无法读取这个文件，请确认它是 CSV 或 XLSX', en: 'The file could not be read; is it a CSV or XLSX file?' });
        }
        const mapping = spec.map(header, explicit as Record<string, string>);
        if (mapping.missing.length > 0) {
          await removeUpload(path);
          throw invalid('querystring.mapping', {
            zh: `找不到这些列：${mapping.missing.map((f) => spec.aliases[f]![0]).join('、')}（可用中文或英文表头，或用 mapping 指定）`,
            en: `These columns were not found: ${mapping.missing.map((f) => spec.aliases[f]![1]).join(', ')} (use Chinese or English headers, or name them in mapping)`,
          });
        }
        const resolved = Object.fromEntries(Object.entries(mapping.columns).filter((e): e is [string, number] => e[1] !== undefined).map(([field, index]) => [field, header[index] ?? '']));
        const at = clock.now();
        const job = await db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto('importJobs')
            .values({ kind, status: 'queued', fileName, filePath: path, format, mapping: JSON.stringify(resolved), dryRun: dryRun === 'true' ? 1 : 0, rowsDone: 0, createdCount: 0, updatedCount: 0, unchangedCount: 0, rejectedCount: 0, createdBy: actor.userId, createdAt: at.toISOString() })
            .returningAll()
            .executeTakeFirstOrThrow();
          await recordAudit(trx, { actor, action: 'import.create', entityType: 'import_job', entityId: row.id, ip: request.ip, at, detail: { kind, fileName, dryRun: dryRun === 'true' } });
          return row;
        });
        jobs.wake();
        return reply.code(202).send(importJobView(job));
      },
    );
  }

  const loadOwnJob = async (request: FastifyRequest, id: number) => {
    const actor = requireActor(request);
    const job = await findImportJob(db, id);
    // A job is seen by the one who started it (and system admins): its errors quote personal data.
    if (!job || (job.createdBy !== actor.userId && !isSystemAdmin(actor))) throw notFound('import_job');
    return job;
  };

  app.get(
    '/imports',
    { schema: { tags, summary: 'Your recent import jobs, newest first', querystring: listImportsQuerySchema, response: { 200: z.object({ items: z.array(importJobSchema) }) } } },
    async (request) => ({ items: (await listImportJobsOf(db, requireActor(request).userId, request.query.limit)).map(importJobView) }),
  );

  app.get(
    '/imports/:id',
    { schema: { tags, summary: 'An import job’s progress: rows done, counts, rows per second', params: importIdParamsSchema, response: { 200: importJobSchema } } },
    async (request) => importJobView(await loadOwnJob(request, request.params.id)),
  );

  app.get(
    '/imports/:id/errors.csv',
    {
      schema: {
        tags,
        summary: 'The error report: each rejected row, the field and why, in Chinese and English (CSV, UTF-8 with BOM)',
        params: importIdParamsSchema,
      },
    },
    async (request, reply) => {
      const job = await loadOwnJob(request, request.params.id);
      async function* lines() {
        // The BOM lets Excel open the UTF-8 Chinese text correctly.
        yield '\uFEFF' + csvLine(['行号 row', '字段 field', '原因', 'reason']);
        for await (const e of importErrorsOf(db, job.id)) {
          const message = JSON.parse(e.message) as { zh: string; en: string };
          yield csvLine([e.rowNumber, e.field, message.zh, message.en]);
        }
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="import-${job.id}-errors.csv"`)
        .send(Readable.from(lines()));
    },
  );

};
