// Uploaded files live under <data folder>/imports/ until their job ends; they are read as a stream of
// rows (csv-parse for CSV, exceljs's streaming WorkbookReader for XLSX), never whole in memory.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { StringDecoder } from 'node:string_decoder';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline as pipeStreams, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type ExcelJS from 'exceljs';
import { dataFolderOf } from '../../config.js';
import { AppError } from '../../core/errors.js';

export type ImportFormat = 'csv' | 'xlsx';
export type SourceRow = { number: number; cells: string[] };

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

export function formatOf(fileName: string, contentType: string | undefined): ImportFormat | undefined {
  if (/\.xlsx$/i.test(fileName) || contentType?.startsWith(XLSX_MIME)) return 'xlsx';
  if (/\.csv$/i.test(fileName) || contentType?.startsWith('text/csv')) return 'csv';
  return undefined;
}

/** Streams an upload to disk, refusing more than MAX_UPLOAD_BYTES. */
export async function storeUpload(databaseUrl: string, body: Readable, format: ImportFormat): Promise<string> {
  const folder = join(dataFolderOf(databaseUrl), 'imports');
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${randomUUID()}.${format}`);
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > MAX_UPLOAD_BYTES) callback(new AppError(413, 'BODY_TOO_LARGE'));
      else callback(null, chunk);
    },
  });
  try {
    await pipeline(body, limit, createWriteStream(path));
  } catch (error) {
    await removeUpload(path);
    throw error;
  }
  return path;
}

export async function removeUpload(path: string): Promise<void> {
  await rm(path, { force: true });
}

async function* csvRows(path: string): AsyncGenerator<SourceRow> {
  // bom strips Excel's UTF-8 marker; relax_column_count keeps short rows so they are reported, not fatal.
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true });
  // Not pipe(), which passes no error on (a missing upload's ENOENT threw out of the process) and leaves the
  // file open when reading stops early: the pipeline fails the parser with the file and closes the file
  // with the parser. Its error reaches the loop below through the parser.
  pipeStreams(createReadStream(path), parser, () => {});
  for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield { number: record.info.lines, cells: record.record };
  }
}

// exceljs's streaming reader decodes each chunk of an XML part on its own (TextDecoder without
// { stream: true }), so a Chinese character split across two chunks turns into U+FFFD: in a 100,000-row
// file a few cells in every ten thousand came out as "成���". exceljs passes strings through untouched,
// so both ways a part reaches its parser are made to carry strings decoded as a stream:
// - parts parsed straight from the zip (shared strings, a sheet after them): unzipper's Parse is looked
//   up by property at each call, so wrapping it lets every XML entry setEncoding('utf8');
// - a sheet that comes before the shared strings is parked in a temp file and read back as buffers:
//   the reader's _parseWorksheet gets the same chunks through a StringDecoder.
async function* utf8Chunks(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

function decodeXlsxPartsAsStreams(excel: typeof ExcelJS): void {
  const reader = excel.stream.xlsx.WorkbookReader.prototype as unknown as { _parseWorksheet: (chunks: AsyncIterable<Buffer | string>, sheetNo: string) => Generator; utf8Sheets?: true };
  if (!reader.utf8Sheets) {
    const parseWorksheet = reader._parseWorksheet;
    reader._parseWorksheet = function (this: unknown, chunks, sheetNo) {
      return parseWorksheet.call(this, utf8Chunks(chunks), sheetNo);
    };
    reader.utf8Sheets = true;
  }

  const requireFromExcelJs = createRequire(createRequire(import.meta.url).resolve('exceljs'));
  const unzipper = requireFromExcelJs('unzipper') as { Parse: ((options: object) => NodeJS.ReadWriteStream) & { utf8Parts?: true } };
  if (unzipper.Parse.utf8Parts) return;
  const parse = unzipper.Parse;
  const wrapped = Object.assign((options: object) => {
    const zip = parse(options) as NodeJS.ReadWriteStream & { push: (chunk: unknown) => boolean };
    const push = zip.push.bind(zip);
    zip.push = (entry: unknown) => {
      const part = entry as { path?: unknown; setEncoding?: (encoding: BufferEncoding) => void } | null;
      if (part && typeof part.path === 'string' && /\.(xml|rels)$/i.test(part.path) && typeof part.setEncoding === 'function') part.setEncoding('utf8');
      return push(entry);
    };
    return zip;
  }, { utf8Parts: true as const });
  unzipper.Parse = wrapped;
}

/**
 * exceljs, loaded with the first XLSX file rather than with this module: the import thread loads this module
 * for every import, and exceljs costs ~30 MB of the server's memory there (issue 6) that a CSV never needs.
 */
async function excel(): Promise<typeof ExcelJS> {
  const { default: loaded } = await import('exceljs');
  decodeXlsxPartsAsStreams(loaded);
  return loaded;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('result' in value) return value.result === undefined ? '' : cellText(value.result);
  return '';
}

async function* xlsxRows(path: string): AsyncGenerator<SourceRow> {
  // Opened here, not by exceljs from the path: its own stream's open error (a missing upload) was unheard
  // and threw out of the process; a failed open now rejects the read, and the job fails instead.
  const Excel = await excel();
  const file = await open(path, 'r');
  const stream = file.createReadStream(); // closes the file when it ends or is destroyed
  const workbook = new Excel.stream.xlsx.WorkbookReader(stream, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  // Only the first sheet is imported; the rest of the file is not read.
  try {
    for await (const sheet of workbook) {
      for await (const row of sheet) {
        const values = row.values as ExcelJS.CellValue[];
        const cells = values.slice(1).map(cellText);
        if (cells.some((c) => c.trim() !== '')) yield { number: row.number, cells };
      }
      return;
    }
  } finally {
    // Stopped after the first sheet or part-way (a header read, a stopped job): the file is closed with it.
    stream.destroy();
  }
}

/** The file's rows in order, the header first. */
export function readRows(path: string, format: ImportFormat): AsyncGenerator<SourceRow> {
  return format === 'csv' ? csvRows(path) : xlsxRows(path);
}

/** The header row alone, to check the mapping before a job is queued. */
export async function readHeader(path: string, format: ImportFormat): Promise<string[]> {
  const rows = readRows(path, format);
  try {
    const first = await rows.next();
    return first.done ? [] : first.value.cells;
  } finally {
    await rows.return(undefined);
  }
}
