import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readXlsxHead } from './xlsx-preview';

const header = ['姓名', '手机号', '平台', '平台工号', '城市'];
const people = [
  ['欧阳雪梅', '13800001234', '速达出行', 'SD-0001', '成都市'],
  ['李 & 王', '13900005678', '快运 <货拉>', 'KY-"02"', '510100'],
  ['张伟', '13700009999', '速达出行', 'SD-0003', '成都市'],
];

async function standardWorkbook(): Promise<Blob> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('劳动者');
  // Only the first sheet is imported, so only the first is previewed.
  workbook.addWorksheet('说明').addRow(['a note on a second sheet']);
  sheet.addRow(header);
  sheet.addRow([]); // an empty row is skipped, as the import skips it
  for (const person of people) sheet.addRow(person);
  sheet.getCell('G5').value = 42; // a stray number far to the right of the third person
  return new Blob([await workbook.xlsx.writeBuffer()]);
}

async function streamedWorkbook(rows: number): Promise<Blob> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('workers');
  sheet.addRow(header).commit();
  for (let i = 0; i < rows; i += 1) sheet.addRow([`工人${i}`, `1380000${String(i).padStart(4, '0')}`, '速达出行', `SD-${i}`, '成都市']).commit();
  await workbook.commit();
  return new Blob(chunks.map((chunk) => new Uint8Array(chunk)));
}

describe('XLSX preview in the browser', () => {
  it('reads the header and the first rows of the first sheet through shared strings, in column order', async () => {
    const head = await readXlsxHead(await standardWorkbook(), 3);
    expect(head.header).toEqual(header);
    expect(head.rows).toEqual([people[0], people[1], [...people[2]!, '', '42']]);
  });

  it('reads the inline strings of a streamed 20,000-row workbook', async () => {
    const head = await readXlsxHead(await streamedWorkbook(20_000), 5);
    expect(head.header).toEqual(header);
    expect(head.rows).toHaveLength(5);
    expect(head.rows[4]).toEqual(['工人4', '13800000004', '速达出行', 'SD-4', '成都市']);
  });

  it('refuses a file that is not a zip', async () => {
    await expect(readXlsxHead(new Blob(['姓名,手机号\n'], { type: 'text/csv' }))).rejects.toThrow(/not a zip/);
  });
});
