import { z } from 'zod';
import { invalid } from './errors.js';

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

const cursorShape = z.array(z.union([z.string().max(400), z.number(), z.null()])).min(1).max(4);

export function decodeCursor(cursor: string | undefined, expectedLength: number): CursorKey | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const parsed = cursorShape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.length !== expectedLength) throw new Error('length');
    return parsed;
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
