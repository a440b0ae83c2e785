import { z } from 'zod';
import { invalid } from './errors.js';
import { MAX_ROW_ID } from './ids.js';

// Every list answers { items, nextCursor }. The cursor is opaque to clients: base64url JSON of the
// sort key of the last item returned, so the next page starts strictly after it (keyset paging).
export const pageQuerySchema = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
};

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export type CursorKey = (string | number | null)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

// Each position of a cursor has a kind, checked on the way in: a well-formed cursor with a word where an
// id belongs would otherwise reach the database (PostgreSQL refuses it with a 500, SQLite compares it).
const cursorParts = {
  id: z.number().int().positive().max(MAX_ROW_ID),
  text: z.string().max(400),
  timestamp: z.iso.datetime({ offset: true }),
  optionalTimestamp: z.iso.datetime({ offset: true }).nullable(),
  flag: z.union([z.literal(0), z.literal(1)]),
} as const;
export type CursorPart = keyof typeof cursorParts;
type CursorValues<P extends readonly CursorPart[]> = { [K in keyof P]: z.infer<(typeof cursorParts)[P[K]]> };

export function decodeCursor<const P extends readonly CursorPart[]>(cursor: string | undefined, parts: P): CursorValues<P> | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== parts.length) throw new Error('length');
    return parts.map((part, i) => cursorParts[part].parse(parsed[i])) as CursorValues<P>;
  } catch {
    throw invalid('querystring.cursor', {
      zh: '分页游标无效，请从第一页重新开始',
      en: 'the paging cursor is not valid; start again from the first page',
    });
  }
}

/** Slices one extra row fetched to learn whether another page exists. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => CursorKey): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
