// Member lists leave as files with the members list's filters and scope, a page at a time. Phone and ID
// numbers are masked unless the exporter asks and may unmask everywhere they read; every export is
// audited. The columns are the import's own headers, so an export can be edited and imported back.
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { AppDeps } from '../../core/deps.js';
import { authorizeExport } from './exports.scope.js';
import { decryptNullable, fieldCodec, maskIdCard, maskPhone } from '../../core/sensitive.js';
import type { Database } from '../../db/tables.js';
import { listPage } from '../../db/text-search.js';
import { type MemberListFilter, membersMatching } from '../members/members.queries.js';
import { genderLabel, mobilityLabel, statusLabel } from './imports.members.rules.js';
import type { exportMembersQuerySchema } from './imports.schema.js';

const PAGE = 1000;

export const memberExportHeaders = ['姓名', '性别', '出生年份', '手机号', '身份证号', '入党日期', '状态', '所在支部', '支部名称', '流动党员', '组织关系所在地', '流动类型'];

type ExportQuery = ReturnType<typeof exportMembersQuerySchema.parse>;

/** One page of the export: the members list's own query, with the columns a file needs. */
async function memberPage(db: Kysely<Database>, f: Omit<MemberListFilter, 'limit' | 'after'>, after: MemberListFilter['after']) {
  const walks = await membersMatching(db, { ...f, after });
  return listPage(
    walks.map((walk) =>
      walk
        .innerJoin('orgUnits', 'orgUnits.id', 'members.unitId')
        .select(['members.id', 'members.name', 'members.nameSort', 'members.gender', 'members.birthYear', 'members.phoneEnc', 'members.idCardEnc', 'members.joinDate', 'members.status', 'members.unitId', 'orgUnits.name as unitName', 'members.isMobile', 'members.homeOrgText', 'members.mobilityType']),
    ),
    PAGE,
  ).execute();
}

/** Checks scope and unmasking, audits the export, and yields its rows as cell values. */
export function memberExportRows(deps: Pick<AppDeps, 'db' | 'clock' | 'config'>) {
  const { db, clock } = deps;
  const codec = fieldCodec(deps.config);
  return async (request: FastifyRequest, query: ExportQuery, format: 'csv' | 'xlsx') => {
    const { scope, subtree, unmask } = await authorizeExport(db, clock, request, query, { action: 'member.export', entityType: 'member', format });
    const filter: Omit<MemberListFilter, 'limit' | 'after'> = { scope, subtree, q: query.q, status: query.status, isMobile: query.isMobile === undefined ? undefined : query.isMobile === 'true' };

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
            codec.decrypt(m.joinDate),
            statusLabel[m.status],
            m.unitId,
            m.unitName,
            m.isMobile === 1 ? '是' : '否',
            decryptNullable(codec, m.homeOrgText) ?? '',
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

