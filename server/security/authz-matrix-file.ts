// The reviewed authorization matrix lives in authorization-matrix.md, one table row per route: the
// expected outcome for each role, "own/other" for routes aimed at a subtree. This module reads and
// writes that table; the markdown is the one source both the reviewer and the test read.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type MatrixRole, matrixRoles } from './authz-world.js';

export const MATRIX_FILE = fileURLToPath(new URL('./authorization-matrix.md', import.meta.url));

/** A status class: 2xx, or an exact 4xx code. "—" means "not checked" (no other scope for this route). */
export type Outcome = '2xx' | '400' | '401' | '403' | '404' | '409' | '415' | '422' | '429' | '—';
export const outcomes: readonly Outcome[] = ['2xx', '400', '401', '403', '404', '409', '415', '422', '429', '—'];

export type Cell = { own: Outcome; other: Outcome };

export type MatrixRow = {
  method: string;
  path: string;
  public: boolean;
  scoped: boolean;
  cells: Record<MatrixRole, Cell>;
  note: string;
};

export const UNREVIEWED = 'UNREVIEWED';

const TABLE_HEAD = `| method | path | public | ${matrixRoles.join(' | ')} | note |`;
const TABLE_RULE = `|${' --- |'.repeat(matrixRoles.length + 4)}`;

export function outcomeOf(status: number): Outcome {
  if (status >= 200 && status < 300) return '2xx';
  const code = String(status) as Outcome;
  if (!outcomes.includes(code)) throw new Error(`status ${status} is not an outcome the matrix knows`);
  return code;
}

function parseOutcome(text: string, where: string): Outcome {
  const value = text.trim() as Outcome;
  if (!outcomes.includes(value)) throw new Error(`${where}: "${text}" is not an outcome (${outcomes.join(', ')})`);
  return value;
}

function parseCell(text: string, scoped: boolean, where: string): Cell {
  const parts = text.split('/').map((p) => p.trim());
  if (scoped && parts.length === 2) return { own: parseOutcome(parts[0]!, where), other: parseOutcome(parts[1]!, where) };
  if (!scoped && parts.length === 1) return { own: parseOutcome(parts[0]!, where), other: '—' };
  throw new Error(`${where}: "${text}" should be ${scoped ? '"own/other"' : 'one outcome'}`);
}

const unquote = (text: string) => text.trim().replace(/^`|`$/g, '');

/** Reads the table rows of the matrix document. A route is scoped when its cells hold "own/other". */
export function parseMatrix(markdown: string): MatrixRow[] {
  const rows: MatrixRow[] = [];
  let inTable = false;
  for (const [index, line] of markdown.split('\n').entries()) {
    if (line.trim() === TABLE_HEAD) {
      inTable = true;
      continue;
    }
    if (!inTable || line.startsWith('| ---') || line.startsWith('|---')) continue;
    if (!line.startsWith('|')) {
      inTable = false;
      continue;
    }
    const fields = line.split('|').slice(1, -1);
    const where = `authorization-matrix.md line ${index + 1}`;
    if (fields.length !== matrixRoles.length + 4) throw new Error(`${where}: ${fields.length} columns, expected ${matrixRoles.length + 4}`);
    const [method, path, isPublic, ...rest] = fields.map(unquote);
    const roleCells = rest.slice(0, matrixRoles.length);
    const scoped = roleCells.some((c) => c.includes('/'));
    const cells = Object.fromEntries(matrixRoles.map((role, i) => [role, parseCell(roleCells[i]!, role === 'anonymous' ? false : scoped, `${where}, ${role}`)])) as Record<MatrixRole, Cell>;
    rows.push({ method: method!, path: path!, public: isPublic === 'public', scoped, cells, note: rest[matrixRoles.length]!.trim() });
  }
  return rows;
}

export function readMatrix(file = MATRIX_FILE): MatrixRow[] {
  return parseMatrix(readFileSync(file, 'utf8'));
}

export function formatRow(row: MatrixRow): string {
  const cell = (role: MatrixRole) => {
    const c = row.cells[role];
    return row.scoped && role !== 'anonymous' ? `${c.own}/${c.other}` : c.own;
  };
  return `| ${row.method} | \`${row.path}\` | ${row.public ? 'public' : ''} | ${matrixRoles.map(cell).join(' | ')} | ${row.note} |`;
}

/** The document with `rows` as its table (in route order), everything around the table kept as it was. */
export function withRows(markdown: string, rows: MatrixRow[]): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim() === TABLE_HEAD);
  const table = [TABLE_HEAD, TABLE_RULE, ...[...rows].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method)).map(formatRow)];
  if (start < 0) return `${markdown.trimEnd()}\n\n${table.join('\n')}\n`;
  let end = start + 1;
  while (end < lines.length && lines[end]!.startsWith('|')) end += 1;
  return [...lines.slice(0, start), ...table, ...lines.slice(end)].join('\n');
}
