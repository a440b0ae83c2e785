// Reading an upload that is gone (removed by an earlier run of its job, or a cleaned data folder) must fail
// the job, not the process: a read stream's error left unheard is an uncaught exception in Node.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { readHeader, readRows } from './imports.files.js';

const folder = mkdtempSync(join(tmpdir(), 'convoy-import-files-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

it('a CSV upload that no longer exists rejects the read with ENOENT', async () => {
  const rows = readRows(join(folder, 'gone.csv'), 'csv');
  await expect(rows.next()).rejects.toMatchObject({ code: 'ENOENT' });
  await expect(readHeader(join(folder, 'gone.csv'), 'csv')).rejects.toMatchObject({ code: 'ENOENT' });
});

it('a CSV upload is read row by row with its line numbers', async () => {
  const path = join(folder, 'two.csv');
  writeFileSync(path, '\uFEFF姓名,手机号\n王伟,13800000000\n\n李娜,13900000000\n');
  const read: { number: number; cells: string[] }[] = [];
  for await (const row of readRows(path, 'csv')) read.push(row);
  expect(read).toEqual([
    { number: 1, cells: ['姓名', '手机号'] },
    { number: 2, cells: ['王伟', '13800000000'] },
    { number: 4, cells: ['李娜', '13900000000'] },
  ]);
});

it('an XLSX upload that no longer exists rejects the read with ENOENT', async () => {
  await expect(readRows(join(folder, 'gone.xlsx'), 'xlsx').next()).rejects.toMatchObject({ code: 'ENOENT' });
});
