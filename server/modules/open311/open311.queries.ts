import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.js';
import type { AppealCategory, AppealStatus } from '../../db/tables-appeals.js';

// Privacy by construction: these reads select only what Open311 may publish. The description (a
// worker's own words), the exact address, the filer (worker, contact name and phone) and every
// internal note are never read here, so no later change to the formatting can leak them; anonymous
// appeals are filtered out in the one query both the list and the single read go through.

export type PublicAppealRow = {
  id: number;
  category: AppealCategory;
  status: AppealStatus;
  unitName: string;
  cityCode: string | null;
  lat: number | null;
  lng: number | null;
  referredTo: string | null;
  rejectReason: string | null;
  resolveBy: string | null;
  createdAt: string;
  updatedAt: string;
};

function publicAppeals(db: Kysely<Database>) {
  return db
    .selectFrom('appeals')
    .innerJoin('orgUnits', 'orgUnits.id', 'appeals.unitId')
    .select([
      'appeals.id',
      'appeals.category',
      'appeals.status',
      'orgUnits.name as unitName',
      'appeals.cityCode',
      'appeals.lat',
      'appeals.lng',
      'appeals.referredTo',
      'appeals.rejectReason',
      'appeals.resolveBy',
      'appeals.createdAt',
      'appeals.updatedAt',
    ])
    .where('appeals.anonymous', '=', 0);
}

// PostgreSQL returns `real` columns as numbers but a driver may hand back strings for wider types;
// one normalization keeps the published lat/long numeric on both engines.
function normalized(row: PublicAppealRow): PublicAppealRow {
  const num = (v: number | string | null) => (v === null ? null : Number(v));
  return { ...row, lat: num(row.lat), lng: num(row.lng) };
}

export async function findPublicAppeal(db: Kysely<Database>, id: number): Promise<PublicAppealRow | undefined> {
  const row = await publicAppeals(db).where('appeals.id', '=', id).executeTakeFirst();
  return row ? normalized(row) : undefined;
}

export type PublicAppealFilter =
  | { ids: readonly number[]; limit: number }
  | { category?: AppealCategory; statuses?: readonly AppealStatus[]; from: string; to: string; limit: number };

/** Newest first, on the (created_at, id) index; a list of ids overrides every other filter, as the spec says. */
export async function listPublicAppeals(db: Kysely<Database>, filter: PublicAppealFilter): Promise<PublicAppealRow[]> {
  let query = publicAppeals(db);
  if ('ids' in filter) {
    query = query.where('appeals.id', 'in', [...filter.ids]);
  } else {
    query = query.where('appeals.createdAt', '>=', filter.from).where('appeals.createdAt', '<=', filter.to);
    if (filter.category) query = query.where('appeals.category', '=', filter.category);
    if (filter.statuses) query = query.where('appeals.status', 'in', [...filter.statuses]);
  }
  const rows = await query.orderBy('appeals.createdAt', 'desc').orderBy('appeals.id', 'desc').limit(filter.limit).execute();
  return rows.map(normalized);
}

/** The platforms a filer may name in attribute[platform], by their stable code. */
export async function listPlatformChoices(db: Kysely<Database>) {
  return db.selectFrom('platforms').select(['code', 'name', 'nameEn']).orderBy('code').execute();
}
