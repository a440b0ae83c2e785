// The first rows of an XLSX file, read in the browser for the import wizard's column mapping. An XLSX is a
// zip: the central directory at the end says where each part lies, so only the workbook, the first sheet's
// beginning and the shared strings it needs are read (File.slice) and inflated (DecompressionStream) —
// never the whole file, which may hold a million rows.

type ZipEntry = { name: string; method: number; compressedSize: number; localHeaderOffset: number };
export type SheetHead = { header: string[]; rows: string[][] };

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const MAX_COMMENT = 0xffff;

async function bytesOf(blob: Blob, start: number, end: number): Promise<DataView> {
  return new DataView(await blob.slice(start, end).arrayBuffer());
}

async function zipEntries(file: Blob): Promise<Map<string, ZipEntry>> {
  const tailStart = Math.max(0, file.size - (22 + MAX_COMMENT));
  const tail = await bytesOf(file, tailStart, file.size);
  let eocd = -1;
  for (let i = tail.byteLength - 22; i >= 0; i -= 1) {
    if (tail.getUint32(i, true) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file');
  const count = tail.getUint16(eocd + 10, true);
  const size = tail.getUint32(eocd + 12, true);
  const offset = tail.getUint32(eocd + 16, true);
  const directory = await bytesOf(file, offset, offset + size);
  const decoder = new TextDecoder();
  const entries = new Map<string, ZipEntry>();
  let at = 0;
  for (let n = 0; n < count && at + 46 <= directory.byteLength; n += 1) {
    if (directory.getUint32(at, true) !== CENTRAL_SIGNATURE) break;
    const nameLength = directory.getUint16(at + 28, true);
    const extraLength = directory.getUint16(at + 30, true);
    const commentLength = directory.getUint16(at + 32, true);
    const name = decoder.decode(new Uint8Array(directory.buffer, directory.byteOffset + at + 46, nameLength));
    entries.set(name, {
      name,
      method: directory.getUint16(at + 10, true),
      compressedSize: directory.getUint32(at + 20, true),
      localHeaderOffset: directory.getUint32(at + 42, true),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** A part's text, chunk by chunk; the caller stops reading when it has what it needs. */
async function* entryText(file: Blob, entry: ZipEntry): AsyncGenerator<string> {
  const header = await bytesOf(file, entry.localHeaderOffset, entry.localHeaderOffset + 30);
  const dataStart = entry.localHeaderOffset + 30 + header.getUint16(26, true) + header.getUint16(28, true);
  let stream = file.slice(dataStart, dataStart + entry.compressedSize).stream();
  if (entry.method === 8) stream = stream.pipeThrough(new DecompressionStream('deflate-raw'));
  else if (entry.method !== 0) throw new Error(`unsupported zip method ${entry.method}`);
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

async function wholeText(file: Blob, entry: ZipEntry | undefined): Promise<string> {
  if (!entry) return '';
  let text = '';
  for await (const chunk of entryText(file, entry)) text += chunk;
  return text;
}

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, code: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (code[0] !== '#') return named[code.toLowerCase()] ?? '';
    return String.fromCodePoint(code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10));
  });
}

/** The text runs of a string item (<si> or <is>), without phonetic runs. */
function itemText(xml: string): string {
  const withoutPhonetic = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  return [...withoutPhonetic.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => decodeXml(m[1] ?? '')).join('');
}

function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

/** Zero-based column of a cell reference such as "AB12". */
function columnOf(reference: string): number {
  let column = 0;
  for (const ch of reference) {
    if (ch < 'A' || ch > 'Z') break;
    column = column * 26 + (ch.charCodeAt(0) - 64);
  }
  return column - 1;
}

type RawCell = { column: number; type: string; value: string };

async function firstSheetPath(file: Blob, entries: Map<string, ZipEntry>): Promise<string> {
  const workbook = await wholeText(file, entries.get('xl/workbook.xml'));
  const relations = await wholeText(file, entries.get('xl/_rels/workbook.xml.rels'));
  const firstSheet = /<sheet\b[^>]*>/.exec(workbook)?.[0];
  const relationId = firstSheet ? attribute(firstSheet, 'r:id') : undefined;
  const relation = [...relations.matchAll(/<Relationship\b[^>]*>/g)].map((m) => m[0]).find((tag) => attribute(tag, 'Id') === relationId);
  const target = relation ? attribute(relation, 'Target') : undefined;
  if (!target) return 'xl/worksheets/sheet1.xml';
  return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
}

async function sheetRows(file: Blob, entry: ZipEntry, wanted: number): Promise<RawCell[][]> {
  const rows: RawCell[][] = [];
  let buffer = '';
  for await (const chunk of entryText(file, entry)) {
    buffer += chunk;
    let end: number;
    while (rows.length < wanted && (end = buffer.indexOf('</row>')) >= 0) {
      const rowXml = buffer.slice(0, end);
      buffer = buffer.slice(end + 6);
      const cells: RawCell[] = [];
      for (const match of rowXml.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const attributes = match[1] ?? '';
        const body = match[2] ?? '';
        const type = attribute(attributes, 't') ?? 'n';
        const value = type === 'inlineStr' ? itemText(body) : decodeXml(/<v>([\s\S]*?)<\/v>/.exec(body)?.[1] ?? '');
        cells.push({ column: columnOf(attribute(attributes, 'r') ?? ''), type, value });
      }
      // A row of empty cells is skipped, as the server's import skips it.
      if (cells.some((c) => c.value.trim() !== '')) rows.push(cells);
    }
    if (rows.length >= wanted) break;
  }
  return rows;
}

/** Shared strings up to the highest index the preview needs; the rest of the part is not read. */
async function sharedStrings(file: Blob, entry: ZipEntry | undefined, highest: number): Promise<string[]> {
  const strings: string[] = [];
  if (!entry || highest < 0) return strings;
  let buffer = '';
  for await (const chunk of entryText(file, entry)) {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('</si>')) >= 0) {
      const start = buffer.indexOf('<si');
      strings.push(itemText(buffer.slice(start, end)));
      buffer = buffer.slice(end + 5);
    }
    if (strings.length > highest) break;
  }
  return strings;
}

/** The header and the next `rows` non-empty rows of the workbook's first sheet, as text. */
export async function readXlsxHead(file: Blob, rows = 5): Promise<SheetHead> {
  const entries = await zipEntries(file);
  const sheet = entries.get(await firstSheetPath(file, entries));
  if (!sheet) return { header: [], rows: [] };
  const raw = await sheetRows(file, sheet, rows + 1);
  const highest = Math.max(-1, ...raw.flat().filter((c) => c.type === 's').map((c) => Number(c.value)));
  const strings = await sharedStrings(file, entries.get('xl/sharedStrings.xml'), highest);
  const texts = raw.map((cells) => {
    const width = Math.max(0, ...cells.map((c, i) => (c.column >= 0 ? c.column : i) + 1));
    const row = Array.from({ length: width }, () => '');
    cells.forEach((c, i) => {
      const text = c.type === 's' ? (strings[Number(c.value)] ?? '') : c.type === 'b' ? (c.value === '1' ? 'TRUE' : 'FALSE') : c.value;
      row[c.column >= 0 ? c.column : i] = text;
    });
    return row;
  });
  const [header = [], ...body] = texts;
  return { header: header.map((h) => h.trim()), rows: body };
}
