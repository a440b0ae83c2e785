// Result rows of the routed SQLite connections, built in JavaScript from better-sqlite3's arrays with their
// keys already camelCased (issue 6). better-sqlite3 makes each row object by setting its properties one by
// one in C++, and Kysely's CamelCasePlugin then made every row again with renamed keys. An inbox page of 51
// rows × 20 columns at 1m workers: 280–300 µs as objects, 175 as arrays, 200 as arrays turned into objects
// by a function made once per statement, whose object literal V8 builds in one shape; and the plugin's
// second copy was 5 % of the server's time under the inbox's load.
import type SQLite from 'better-sqlite3';

/** The row key of a result column: the CamelCasePlugin's own renaming (db/database.ts). */
export type ColumnKey = (column: string) => string;

type RowMaker = { epoch: number; width: number; make: (values: readonly unknown[]) => Record<string, unknown> };

// A statement's columns change only when the schema does; SQLite then prepares the same text again inside
// the statement (a `select *` after ALTER TABLE ADD COLUMN has one more). Statements that change the schema
// through these connections start a new epoch, and a row of another width is caught as well.
const schemaChange = /^\s*(create|alter|drop)\s/i;

function rowMaker(keys: readonly string[]): RowMaker['make'] {
  // In an object literal a key "__proto__" would set the prototype instead of a property.
  if (keys.includes('__proto__')) return (values) => Object.fromEntries(keys.map((key, i) => [key, values[i]]));
  // Keys become string literals (JSON), values are read by position: no column name reaches the code as code.
  // An object literal is built in one shape; a loop of keyed stores was ~8× slower (51 rows × 20 columns).
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the text above holds only JSON string literals and indices
  return new Function('values', `return { ${keys.map((key, i) => `${JSON.stringify(key)}: values[${i}]`).join(', ')} };`) as RowMaker['make'];
}

export function sqliteRows(columnKey: ColumnKey) {
  const makers = new WeakMap<SQLite.Statement, RowMaker>();
  let epoch = 0;

  function makerOf(statement: SQLite.Statement, width: number): RowMaker {
    const known = makers.get(statement);
    if (known && known.epoch === epoch && known.width === width) return known;
    const keys = statement.columns().map((c) => columnKey(c.name));
    const maker = { epoch, width: keys.length, make: rowMaker(keys) };
    makers.set(statement, maker);
    return maker;
  }

  return {
    /** Every row of a statement that returns data, keys camelCased. */
    all(statement: SQLite.Statement, parameters: unknown[]): Record<string, unknown>[] {
      statement.raw(true);
      let rows: unknown[][];
      try {
        rows = statement.all(parameters) as unknown[][];
      } finally {
        statement.raw(false);
      }
      // Every row of one statement has the same width; a maker of another width is made anew from its columns.
      return rows.length === 0 ? [] : rows.map(makerOf(statement, rows[0]!.length).make);
    },
    /** The rows one at a time (a streamed query), keys camelCased. */
    *iterate(statement: SQLite.Statement, parameters: unknown[]): Generator<Record<string, unknown>> {
      statement.raw(true);
      try {
        for (const values of statement.iterate(parameters) as IterableIterator<unknown[]>) yield makerOf(statement, values.length).make(values);
      } finally {
        statement.raw(false);
      }
    },
    /** Called after every statement that does not return data: a schema change makes new columns. */
    ran(sql: string): void {
      if (schemaChange.test(sql)) epoch += 1;
    },
  };
}

export type SqliteRows = ReturnType<typeof sqliteRows>;
