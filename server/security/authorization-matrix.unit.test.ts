// The rules every row of the reviewed matrix keeps, whatever the routes answer: what the HTTP test
// (authorization-matrix.test.ts) then holds the app to.
import { describe, expect, it } from 'vitest';
import { type MatrixRow, parseMatrix, readMatrix, UNREVIEWED, withRows } from './authz-matrix-file.js';
import { matrixRoles } from './authz-world.js';

const rows = readMatrix();
const key = (r: MatrixRow) => `${r.method} ${r.path}`;
const isRead = (r: MatrixRow) => r.method === 'GET';

describe('the reviewed authorization matrix', () => {
  it('has rows, one per route, and none left unreviewed', () => {
    expect(rows.length).toBeGreaterThan(100);
    expect(new Set(rows.map(key)).size).toBe(rows.length);
    expect(rows.filter((r) => r.note.includes(UNREVIEWED)).map(key)).toEqual([]);
  });

  it('answers anonymous 401 on every route that is not public, and never 401 on a public one', () => {
    expect(rows.filter((r) => !r.public && r.cells.anonymous.own !== '401').map(key)).toEqual([]);
    expect(rows.filter((r) => r.public && r.cells.anonymous.own === '401').map(key)).toEqual([]);
  });

  it('never serves out of scope: reads 404, writes 403 or 404, for every role but system_admin, unless a note says why', () => {
    const offences = rows.flatMap((r) =>
      !r.scoped || r.note !== ''
        ? []
        : matrixRoles
            .filter((role) => role !== 'system_admin' && role !== 'anonymous')
            .filter((role) => (isRead(r) ? r.cells[role].other !== '404' : !['403', '404'].includes(r.cells[role].other)))
            .map((role) => `${key(r)} ${role}: ${r.cells[role].other}`),
    );
    expect(offences).toEqual([]);
  });

  it('lets system_admin act on both subtrees alike', () => {
    expect(rows.filter((r) => r.scoped && r.cells.system_admin.own !== r.cells.system_admin.other && r.note === '').map(key)).toEqual([]);
  });

  it('reads back exactly what it writes', () => {
    const markdown = `intro\n\n${withRows('', rows)}\nafter\n`;
    expect(parseMatrix(markdown)).toEqual([...rows].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method)));
  });
});
