import { normalizeHeader, workerHeaderAliases } from '../../../server/modules/imports/imports.headers.schema';
import type { ImportField } from './api';

export { normalizeHeader };

/** Headers the server recognizes for each field: the same table the server reads. */
export const HEADER_ALIASES: Record<ImportField, readonly string[]> = workerHeaderAliases;

/** Field → header found in the file, the way the server would match them. */
export function detectMapping(header: readonly string[], fields: readonly ImportField[]): Partial<Record<ImportField, string>> {
  const normalized = header.map(normalizeHeader);
  const mapping: Partial<Record<ImportField, string>> = {};
  for (const field of fields) {
    const wanted = HEADER_ALIASES[field].map(normalizeHeader);
    const index = normalized.findIndex((h) => h !== '' && wanted.includes(h));
    if (index >= 0) mapping[field] = header[index];
  }
  return mapping;
}

/**
 * The first `maxRecords` records of CSV text (RFC 4180: quoted fields may hold commas, quotes and
 * line breaks). A record cut off at the end of the text is dropped.
 */
export function parseCsvHead(text: string, maxRecords: number): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  for (; i < text.length && records.length < maxRecords; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      record.push(field);
      field = '';
      if (record.length > 1 || record[0] !== '') records.push(record);
      record = [];
    } else field += ch;
  }
  // The last line of a file shorter than the slice we read has no line break after it.
  if (records.length < maxRecords && !quoted && (field !== '' || record.length > 0)) records.push([...record, field]);
  return records;
}

const HEAD_BYTES = 64 * 1024;

/** The header and the first rows of a CSV file, read from its first bytes only. */
export async function readCsvHead(file: File, rows = 5): Promise<{ header: string[]; rows: string[][] }> {
  const slice = file.slice(0, HEAD_BYTES);
  const text = await slice.text();
  const complete = file.size <= HEAD_BYTES;
  // Without the whole file the last line may be cut: keep only lines that ended.
  const usable = complete ? text : text.slice(0, Math.max(text.lastIndexOf('\n'), 0) + 1);
  const [header = [], ...body] = parseCsvHead(usable, rows + 1);
  return { header: header.map((h) => h.trim()), rows: body };
}
