// Statement texts the app runs again and again, compiled once by db/prepared.ts. On PostgreSQL each goes out
// as a named prepared statement (database.ts), so a connection parses and plans it a few times and then
// keeps a generic plan, instead of planning it on every call: the inbox page's join of five tables took
// 0.8 ms to plan and 0.4 ms to run at 1m workers (issue 6). SQLite keeps its own prepared statements.
const names = new Map<string, string>();

/** Marks a compiled statement text as one to keep prepared. */
export function nameStatement(text: string): void {
  if (!names.has(text)) names.set(text, `convoy_${names.size + 1}`);
}

/** The name a text is prepared under, if it is one of those. */
export const statementName = (text: string): string | undefined => names.get(text);
