// Row ids and versions are PostgreSQL `integer` columns: a number past 2^31 − 1 is no row at all, and
// sent to PostgreSQL it fails the query (22003) instead of finding nothing. Schemas bound them here.
export const MAX_ROW_ID = 2_147_483_647;
