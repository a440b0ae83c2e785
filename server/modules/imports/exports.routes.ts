// Worker lists leave as files with the list's own filters and scope, streamed a page at a time. Phones
// are masked unless the exporter asks and may unmask everywhere they read; every export is audited.
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../core/deps.js';
import { authorizeExport } from './exports.scope.js';
import { fieldCodec, maskPhone } from '../../core/sensitive.js';
import { divisionOf } from '../divisions/divisions.rules.js';
import { listWorkers, type WorkerListFilter } from '../workers/workers.queries.js';
import { csvLine } from './imports.rules.js';
import { memberExportHeaders, memberExportRows } from './exports.members.js';
import { XLSX_MIME } from './imports.files.js';
import { exportMembersQuerySchema, exportWorkersQuerySchema } from './imports.schema.js';

const tags = ['workers'];
const PAGE = 1000;

// The first header of each column is one the import recognizes, so an export can be imported back.
const headers = ['姓名', '手机号', '平台', '平台工号', '工作类型', '车辆', '城市', '城市名称', '状态', '服务组织编号'];

type ExportQuery = ReturnType<typeof exportWorkersQuerySchema.parse>;

export const exportRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, clock } = deps;
  const codec = fieldCodec(deps.config);

  /** Checks scope and unmasking, audits the export, and yields its rows as cell values. */
  async function exportRows(request: FastifyRequest, query: ExportQuery, format: 'csv' | 'xlsx') {
    const { scope, subtree, unmask } = await authorizeExport(db, clock, request, query, { action: 'worker.export', entityType: 'worker', format });
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

  const attachment = (reply: FastifyReply, list: string, type: string, extension: string) =>
    reply.type(type).header('content-disposition', `attachment; filename="${list}-${clock.now().toISOString().slice(0, 10)}.${extension}"`);

  type Cells = (string | number | null)[];
  const sendCsv = (reply: FastifyReply, list: string, header: string[], rows: AsyncIterable<Cells>) => {
    async function* lines() {
      yield '\uFEFF' + csvLine(header);
      for await (const row of rows) yield csvLine(row);
    }
    return attachment(reply, list, 'text/csv; charset=utf-8', 'csv').send(Readable.from(lines()));
  };
  const sendXlsx = (request: FastifyRequest, reply: FastifyReply, list: string, sheetName: string, header: string[], rows: AsyncIterable<Cells>) => {
    const out = new PassThrough();
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
    const sheet = workbook.addWorksheet(sheetName);
    // Written as the client reads: wait whenever the zip stream is full instead of buffering the list.
    void (async () => {
      try {
        sheet.addRow(header).commit();
        for await (const row of rows) {
          sheet.addRow(row).commit();
          if (out.writableNeedDrain) await once(out, 'drain');
        }
        sheet.commit();
        await workbook.commit();
      } catch (error) {
        request.log.error({ err: error }, `${list} export failed`);
        out.destroy(error as Error);
      }
    })();
    return attachment(reply, list, XLSX_MIME, 'xlsx').send(out);
  };

  app.get(
    '/workers/export.csv',
    { schema: { tags, summary: 'Workers in your scope as CSV (UTF-8 with BOM), with the list’s filters; phones masked unless ?unmask=true and allowed (audited)', querystring: exportWorkersQuerySchema } },
    async (request, reply) => sendCsv(reply, 'workers', headers, await exportRows(request, request.query, 'csv')),
  );

  app.get(
    '/workers/export.xlsx',
    { schema: { tags, summary: 'Workers in your scope as XLSX, with the list’s filters; phones masked unless ?unmask=true and allowed (audited)', querystring: exportWorkersQuerySchema } },
    async (request, reply) => sendXlsx(request, reply, 'workers', '劳动者 Workers', headers, await exportRows(request, request.query, 'xlsx')),
  );

  const memberRows = memberExportRows(deps);

  app.get(
    '/members/export.csv',
    {
      schema: {
        tags: ['members'],
        summary: 'Members in your scope as CSV (UTF-8 with BOM), with the members list’s filters; phone and ID numbers masked unless ?unmask=true and allowed (audited)',
        querystring: exportMembersQuerySchema,
      },
    },
    async (request, reply) => sendCsv(reply, 'members', memberExportHeaders, await memberRows(request, request.query, 'csv')),
  );

  app.get(
    '/members/export.xlsx',
    {
      schema: {
        tags: ['members'],
        summary: 'Members in your scope as XLSX, with the members list’s filters; phone and ID numbers masked unless ?unmask=true and allowed (audited)',
        querystring: exportMembersQuerySchema,
      },
    },
    async (request, reply) => sendXlsx(request, reply, 'members', '党员 Members', memberExportHeaders, await memberRows(request, request.query, 'xlsx')),
  );
};
