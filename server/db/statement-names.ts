// Statement texts the app runs again and again. On PostgreSQL each goes out as a named prepared statement
// (database.ts), so a connection parses and plans it a few times and then keeps a generic plan, instead of
// planning it on every call: the inbox page's join of five tables took 0.8 ms to plan and 0.4 ms to run at
// 1m workers (issue 6). SQLite keeps its own prepared statements.
//
// Which texts: those db/prepared.ts compiles once, from their first call; and any other text from its
// third, up to NAMED_AT_MOST names — Kysely builds some statements per call whose text varies with a
// list's length or the filters given, and each name costs every pooled connection a prepared statement.
const names = new Map<string, string>();
const sightings = new Map<string, number>();

export const NAMED_AT_MOST = 1_000;
const NAMED_FROM_SIGHTING = 3;
// Texts seen fewer times are forgotten past this many, so one-off texts cannot pile up.
const SIGHTINGS_AT_MOST = 10_000;

/** `select *`, `returning *`, `"table".*`: a result whose columns are whatever the table has (not `count(*)`). */
export const ALL_COLUMNS = /\b(?:select|returning)\s+\*|\.\*/i;

// Reads and writes only (not BEGIN, SET or DDL); none whose columns are `*` (PostgreSQL refuses to run a
// prepared statement whose result changed shape, as after a migration added a column, on the connection that
// has it); and none with an IN list: a generic plan tests `x = ANY(ARRAY[$1, …])` building the array again
// for every row it filters (the visit cells of a page's stations: 5.7 ms against 2.0 planned per call, 100k).
const adaptable = (text: string) => /^\s*(select|insert|update|delete|with)\s/i.test(text) && !ALL_COLUMNS.test(text) && !/ in \(/i.test(text);

/** Marks a compiled statement text as one to keep prepared. */
export function nameStatement(text: string): void {
  if (!names.has(text) && names.size < NAMED_AT_MOST) names.set(text, `convoy_${names.size + 1}`);
}

/** The name a text is prepared under, if it has one; a text seen often enough gets one here. */
export function statementName(text: string): string | undefined {
  const name = names.get(text);
  if (name !== undefined || names.size >= NAMED_AT_MOST || !adaptable(text)) return name;
  const seen = (sightings.get(text) ?? 0) + 1;
  if (seen < NAMED_FROM_SIGHTING) {
    if (sightings.size >= SIGHTINGS_AT_MOST) sightings.clear();
    sightings.set(text, seen);
    return undefined;
  }
  sightings.delete(text);
  nameStatement(text);
  return names.get(text);
}
