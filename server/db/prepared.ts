// Statements built and compiled once, then run with new parameters (issue 6). Kysely builds an operation
// tree, runs the plugins over it and compiles it to SQL on every call: for a filing's dozen statements
// that was a third or more of the request's JavaScript time, for SQL text that never changes. The query is
// still written with the builder, so it is the same code on both engines; only its compiled text is kept.
import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database } from './tables.js';

// A parameter's stand-in while the statement is compiled: no real value looks like it.
const MARK = '\u0000convoy-parameter-';

/** Where each parameter of the compiled text comes from: the caller's value by name, or a constant the builder put there. */
type Slot = { name: string } | { constant: unknown };
type Shape = { compiled: CompiledQuery; slots: Slot[] };

function compileShape<DB, P extends Record<string, unknown>>(db: Kysely<DB>, names: readonly (keyof P & string)[], build: (db: Kysely<DB>, params: P) => Compilable<unknown>): Shape {
  const standIns = Object.fromEntries(names.map((name) => [name, `${MARK}${name}`])) as unknown as P;
  const compiled = build(db, standIns).compile();
  const seen = new Set<string>();
  const slots = compiled.parameters.map((value): Slot => {
    if (typeof value === 'string' && value.startsWith(MARK)) {
      const name = value.slice(MARK.length);
      seen.add(name);
      return { name };
    }
    return { constant: value };
  });
  // A value the builder put into the SQL text itself, or dropped, would be frozen at its stand-in.
  const missing = names.filter((name) => !seen.has(name));
  if (missing.length > 0) throw new Error(`prepared statement: ${missing.join(', ')} did not become parameters`);
  return { compiled, slots };
}

/**
 * A statement of fixed shape: `build` must not branch on the values it is given (they are stand-ins when
 * it runs, once per database), and every value must end up as a bound parameter — checked when the shape
 * is compiled. Transactions share their database's compiled shape. Run it with `db` or a transaction.
 */
export function preparedStatement<P extends Record<string, unknown>, R, DB = Database>(names: readonly (keyof P & string)[], build: (db: Kysely<DB>, params: P) => Compilable<R>) {
  // One shape per database: the dialect decides the text (`?` or `$1`). Keyed by the executor's adapter,
  // which a Kysely instance makes once and hands to every transaction it opens.
  const shapes = new WeakMap<object, Shape>();
  return async (db: Kysely<DB>, params: P): Promise<QueryResult<R>> => {
    const key = db.getExecutor().adapter;
    let shape = shapes.get(key);
    if (!shape) {
      shape = compileShape(db, names, build);
      shapes.set(key, shape);
    }
    const parameters = shape.slots.map((slot) => ('name' in slot ? params[slot.name] : slot.constant));
    return db.executeQuery<R>({ ...(shape.compiled as CompiledQuery<R>), parameters });
  };
}

/** Row counts up to this are compiled once each; a larger batch (a rebuild, an org move) is built as it comes. */
export const PREPARED_ROWS_AT_MOST = 32;

/**
 * A multi-row statement (an insert or upsert of `rows`) whose text depends only on how many rows it carries:
 * compiled once per row count up to PREPARED_ROWS_AT_MOST, as preparedStatement compiles one shape. A filing
 * upserts a few count and block rows per unit that sees it, and inserts a reach row for each: building those
 * statements anew cost more than running them (issue 6).
 */
export function preparedRowsStatement<Row extends Record<string, unknown>, R, DB = Database>(columns: readonly (keyof Row & string)[], build: (db: Kysely<DB>, rows: readonly Row[]) => Compilable<R>) {
  const byCount = new Map<number, ReturnType<typeof preparedStatement<Record<string, unknown>, R, DB>>>();
  return async (db: Kysely<DB>, rows: readonly Row[]): Promise<QueryResult<R>> => {
    if (rows.length > PREPARED_ROWS_AT_MOST) return db.executeQuery<R>(build(db, rows).compile());
    let statement = byCount.get(rows.length);
    if (!statement) {
      const names = rows.flatMap((_, i) => columns.map((column) => `${i}.${column}`));
      const asRows = (params: Record<string, unknown>) => rows.map((_, i) => Object.fromEntries(columns.map((column) => [column, params[`${i}.${column}`]])) as Row);
      statement = preparedStatement<Record<string, unknown>, R, DB>(names, (k, params) => build(k, asRows(params)));
      byCount.set(rows.length, statement);
    }
    const params: Record<string, unknown> = {};
    rows.forEach((row, i) => {
      for (const column of columns) params[`${i}.${column}`] = row[column];
    });
    return statement(db, params);
  };
}
