// Member lists leave as files with the members list's filters and scope, a page at a time. Phone and ID
// numbers are masked unless the exporter asks and may unmask everywhere they read; every export is
// audited. The columns are the import's own headers, so an export can be edited and imported back.
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { AppDeps } from '../../core/deps.js';
import { authorizeExport } from './exports.scope.js';
import { fieldCodec, maskIdCard, maskPhone } from '../../core/sensitive.js';
import { queryTokens } from '../../core/text-search.js';
import type { Database } from '../../db/tables.js';
import { matchesTokens } from '../../db/text-search.js';
import { inSubtreePaths } from '../org/org.queries.js';
import { genderLabel, mobilityLabel, statusLabel } from './imports.members.rules.js';
import type { exportMembersQuerySchema } from './imports.schema.js';

const PAGE = 1000;

export const memberExportHeaders = ['姓名', '性别', '出生年份', '手机号', '身份证号', '入党日期', '状态', '所在支部', '支部名称', '流动党员', '组织关系所在地', '流动类型'];

type ExportQuery = ReturnType<typeof exportMembersQuerySchema.parse>;
type Filter = { scope: readonly string[] | 'all'; subtree?: string; q?: string; status?: 'probationary' | 'full'; isMobile?: boolean };

/** One page of the export in the members list's order (pinyin, then id), after a cursor. */
async function memberPage(db: Kysely<Database>, f: Filter, after: { nameSort: string; id: number } | null) {
  let query = db
    .selectFrom('members')
    .innerJoin('orgUnits', 'orgUnits.id', 'members.unitId')
    .select(['members.id', 'members.name', 'members.nameSort', 'members.gender', 'members.birthYear', 'members.phoneEnc', 'members.idCardEnc', 'members.joinDate', 'members.status', 'members.unitId', 'orgUnits.name as unitName', 'members.isMobile', 'members.homeOrgText', 'members.mobilityType']);
  if (f.scope !== 'all') query = query.where(inSubtreePaths('members.unitPath', f.scope));
  if (f.subtree) query = query.where(inSubtreePaths('members.unitPath', [f.subtree]));
  if (f.status) query = query.where('members.status', '=', f.status);
  if (f.isMobile !== undefined) query = query.where('members.isMobile', '=', f.isMobile ? 1 : 0);
  const tokens = f.q ? queryTokens(f.q) : [];
  if (tokens.length > 0) query = query.where(matchesTokens(db, 'members', 'members', tokens));
  if (after) query = query.where((eb) => eb.or([eb('members.nameSort', '>', after.nameSort), eb.and([eb('members.nameSort', '=', after.nameSort), eb('members.id', '>', after.id)])]));
  return query.orderBy('members.nameSort').orderBy('members.id').limit(PAGE).execute();
}

/** Checks scope and unmasking, audits the export, and yields its rows as cell values. */
export function memberExportRows(deps: Pick<AppDeps, 'db' | 'clock' | 'config'>) {
  const { db, clock } = deps;
  const codec = fieldCodec(deps.config);
  return async (request: FastifyRequest, query: ExportQuery, format: 'csv' | 'xlsx') => {
    const { scope, subtree, unmask } = await authorizeExport(db, clock, request, query, { action: 'member.export', entityType: 'member', format });
    const filter: Filter = { scope, subtree, q: query.q, status: query.status, isMobile: query.isMobile === undefined ? undefined : query.isMobile === 'true' };

    return (async function* rows() {
      let after: { nameSort: string; id: number } | null = null;
      for (;;) {
        const page = await memberPage(db, filter, after);
        for (const m of page) {
          const phone = codec.decrypt(m.phoneEnc);
          const idCard = codec.decrypt(m.idCardEnc);
          yield [
            m.name,
            genderLabel[m.gender],
            m.birthYear,
            unmask ? phone : maskPhone(phone),
            unmask ? idCard : maskIdCard(idCard),
            m.joinDate,
            statusLabel[m.status],
            m.unitId,
            m.unitName,
            m.isMobile === 1 ? '是' : '否',
            m.homeOrgText ?? '',
            m.mobilityType ? mobilityLabel[m.mobilityType] : '',
          ];
        }
        const last = page[page.length - 1];
        if (page.length < PAGE || !last) return;
        after = { nameSort: last.nameSort, id: last.id };
      }
    })();
  };
}

