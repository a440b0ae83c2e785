// Worker lists leave as files with the list's own filters and scope, streamed a page at a time. Phones
// are masked unless the exporter asks and may unmask everywhere they read; every export is audited.
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ensureAllowed, requireActor } from '../../core/actor.js';
import { recordAudit } from '../../core/audit.js';
import type { AppDeps } from '../../core/deps.js';
import { forbidden, notFound } from '../../core/errors.js';
import { authorize, scopePaths } from '../../core/scope.js';
import { maskPhone, sensitiveCodec } from '../../core/sensitive.js';
import { divisionOf } from '../divisions/divisions.rules.js';
import { findUnit } from '../org/org.queries.js';
import { listWorkers, type WorkerListFilter } from '../workers/workers.queries.js';
import { csvLine } from './imports.rules.js';
import { exportWorkersQuerySchema } from './imports.schema.js';

const tags = ['workers'];
const PAGE = 1000;

// The first header of each column is one the import recognizes, so an export can be imported back.
const headers = ['姓名', '手机号', '平台', '平台工号', '工作类型', '车辆', '城市', '城市名称', '状态', '服务组织编号'];

type ExportQuery = ReturnType<typeof exportWorkersQuerySchema.parse>;

export const exportRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, clock } = deps;
  const codec = sensitiveCodec(deps.config.secret);

  /** Checks scope and unmasking, audits the export, and yields its rows as cell values. */
  async function exportRows(request: FastifyRequest, query: ExportQuery, format: 'csv' | 'xlsx') {
    const actor = requireActor(request);
    let subtree: string | undefined;
    if (query.unitId) {
      const unit = await findUnit(db, query.unitId);
      if (!unit) throw notFound('org_unit');
      ensureAllowed(actor, 'person.read', unit.path);
      subtree = unit.path;
    }
    const scope = scopePaths(actor, 'person.read');
    const unmask = query.unmask === 'true';
    if (unmask) {
      const paths = subtree ? [subtree] : scope === 'all' ? null : scope;
      const mayUnmask = paths === null ? authorize(actor, 'person.unmask', null) === 'allowed' : paths.every((p) => authorize(actor, 'person.unmask', p) === 'allowed');
      if (!mayUnmask) throw forbidden('person.unmask');
    }
    const { unmask: _unmask, ...filters } = query;
    await recordAudit(db, { actor, action: 'worker.export', entityType: 'worker', ip: request.ip, at: clock.now(), detail: { format, unmasked: unmask, filters } });
    const platforms = new Map((await db.selectFrom('platforms').select(['id', 'code']).execute()).map((p) => [p.id, p.code]));
    const filter: WorkerListFilter = { scope, subtree, q: query.q, platformId: query.platformId, cityCode: query.cityCode, status: query.status, after: null, limit: PAGE };

    return (async function* rows() {
      for (;;) {
        const page = await listWorkers(db, filter);
        for (const w of page.slice(0, PAGE)) {
          const phone = codec.decrypt(w.phoneEnc);
          yield [w.name, unmask ? phone : maskPhone(phone), platforms.get(w.platformId) ?? String(w.platformId), w.platformWorkerId, w.workType, w.vehicle, w.cityCode, divisionOf(w.cityCode)?.name ?? '', w.status, w.unitId];
        }
        const last = page[PAGE - 1];
        if (page.length <= PAGE || !last) return;
        filter.after = { nameSort: last.nameSort, id: last.id };
      }
    })();
  }

  const attachment = (reply: FastifyReply, type: string, extension: string) =>
    reply.type(type).header('content-disposition', `attachment; filename="workers-${clock.now().toISOString().slice(0, 10)}.${extension}"`);

  app.get(
    '/workers/export.csv',
    { schema: { tags, summary: 'Workers in your scope as CSV (UTF-8 with BOM), with the list’s filters; phones masked unless ?unmask=true and allowed (audited)', querystring: exportWorkersQuerySchema } },
    async (request, reply) => {
      const rows = await exportRows(request, request.query, 'csv');
      async function* lines() {
        yield '\uFEFF' + csvLine(headers);
        for await (const row of rows) yield csvLine(row);
      }
      return attachment(reply, 'text/csv; charset=utf-8', 'csv').send(Readable.from(lines()));
    },
  );

  app.get(
    '/workers/export.xlsx',
    { schema: { tags, summary: 'Workers in your scope as XLSX, with the list’s filters; phones masked unless ?unmask=true and allowed (audited)', querystring: exportWorkersQuerySchema } },
    async (request, reply) => {
      const rows = await exportRows(request, request.query, 'xlsx');
      const out = new PassThrough();
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
      const sheet = workbook.addWorksheet('劳动者 Workers');
      // Written as the client reads: wait whenever the zip stream is full instead of buffering the list.
      void (async () => {
        try {
          sheet.addRow(headers).commit();
          for await (const row of rows) {
            sheet.addRow(row).commit();
            if (out.writableNeedDrain) await once(out, 'drain');
          }
          sheet.commit();
          await workbook.commit();
        } catch (error) {
          request.log.error({ err: error }, 'worker export failed');
          out.destroy(error as Error);
        }
      })();
      return attachment(reply, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx').send(out);
    },
  );
};
