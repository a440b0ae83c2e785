// Statements built and compiled once, then run with new parameters (issue 6). Kysely builds an operation
// tree, runs the plugins over it and compiles it to SQL on every call: for a filing's dozen statements
// that was a third or more of the request's JavaScript time, for SQL text that never changes. The query is
// still written with the builder, so it is the same code on both engines; only its compiled text is kept.
import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import { ALL_COLUMNS, nameStatement } from './statement-names.js';
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
  // Kept prepared by name on PostgreSQL, a `*` would fail once a migration adds a column while a connection
  // holds it (the result changed shape); `count(*)` is a value, not columns.
  if (ALL_COLUMNS.test(compiled.sql)) throw new Error(`prepared statement: name its columns instead of * (${compiled.sql.slice(0, 80)}…)`);
  nameStatement(compiled.sql);
  return { compiled, slots };
}

/**
 * Compiled shapes, one per database and variant (a multi-row statement's row count): the dialect decides the
 * text (`?` or `$1`). Keyed by the executor's adapter, which a Kysely instance makes once and hands to every
 * transaction it opens.
 */
function shapesPerDatabase<S>() {
  const byDatabase = new WeakMap<object, Map<number, S>>();
  return <DB>(db: Kysely<DB>, variant: number, make: () => S): S => {
    const key = db.getExecutor().adapter;
    let variants = byDatabase.get(key);
    if (!variants) {
      variants = new Map();
      byDatabase.set(key, variants);
    }
    let shape = variants.get(variant);
    if (!shape) {
      shape = make();
      variants.set(variant, shape);
    }
    return shape;
  };
}

/**
 * A statement of fixed shape: `build` must not branch on the values it is given (they are stand-ins when
 * it runs, once per database), and every value must end up as a bound parameter — checked when the shape
 * is compiled. Transactions share their database's compiled shape. Run it with `db` or a transaction.
 */
export function preparedStatement<P extends Record<string, unknown>, R, DB = Database>(names: readonly (keyof P & string)[], build: (db: Kysely<DB>, params: P) => Compilable<R>) {
  const shapeOf = shapesPerDatabase<Shape>();
  return async (db: Kysely<DB>, params: P): Promise<QueryResult<R>> => {
    const shape = shapeOf(db, 0, () => compileShape(db, names, build));
    const parameters = shape.slots.map((slot) => ('name' in slot ? params[slot.name] : slot.constant));
    return db.executeQuery<R>({ ...(shape.compiled as CompiledQuery<R>), parameters });
  };
}

/** Row counts up to this are compiled once each; a larger batch (a rebuild, an org move) is built as it comes. */
export const PREPARED_ROWS_AT_MOST = 32;

type RowSlot = { row: number; column: string } | { constant: unknown };

/**
 * A multi-row statement (an insert or upsert of `rows`) whose text depends only on how many rows it carries:
 * compiled once per row count up to PREPARED_ROWS_AT_MOST, as preparedStatement compiles one shape. A filing
 * upserts a few count and block rows per unit that sees it, and inserts a reach row for each: building those
 * statements anew cost more than running them (issue 6).
 */
export function preparedRowsStatement<Row extends Record<string, unknown>, R, DB = Database>(columns: readonly (keyof Row & string)[], build: (db: Kysely<DB>, rows: readonly Row[]) => Compilable<R>) {
  // Compiled with stand-ins named "<row>.<column>", each then read back as where its value comes from.
  const compileRows = (db: Kysely<DB>, count: number) => {
    const names = Array.from({ length: count }, (_, i) => columns.map((column) => `${i}.${column}`)).flat();
    const standInRows = (params: Record<string, unknown>) => Array.from({ length: count }, (_, i) => Object.fromEntries(columns.map((column) => [column, params[`${i}.${column}`]])) as Row);
    const { compiled, slots } = compileShape<DB, Record<string, unknown>>(db, names, (k, params) => build(k, standInRows(params)));
    const rowSlots = slots.map((slot): RowSlot => {
      if (!('name' in slot)) return slot;
      const dot = slot.name.indexOf('.');
      return { row: Number(slot.name.slice(0, dot)), column: slot.name.slice(dot + 1) };
    });
    return { compiled, slots: rowSlots };
  };
  const shapeOf = shapesPerDatabase<ReturnType<typeof compileRows>>();
  return async (db: Kysely<DB>, rows: readonly Row[]): Promise<QueryResult<R>> => {
    if (rows.length > PREPARED_ROWS_AT_MOST) return db.executeQuery<R>(build(db, rows).compile());
    const shape = shapeOf(db, rows.length, () => compileRows(db, rows.length));
    const parameters = shape.slots.map((slot) => ('row' in slot ? (rows[slot.row] as Row)[slot.column] : slot.constant));
    return db.executeQuery<R>({ ...(shape.compiled as CompiledQuery<R>), parameters });
  };
}
