// A unit's iCalendar feed is the same bytes for everyone who may read it until an activity or the org
// tree changes or the day turns: it is built once per (unit, window day, change stamps) and served from
// memory with a strong ETag, so a calendar app that polls with If-None-Match gets 304 without a body.
//
// Invalidation is exact: the stamps (change_stamps, bumped by triggers on every activity write and on
// a unit's move or rename) are read before the rows, so a feed is never filed under a stamp older than
// the rows it holds, and the first request after a write in any server process sees a new stamp.
// The stamps are global, so after a write elsewhere the rows are read again (one index walk, ~90 ms for
// a province at 1m workers) but the body is written again only if they differ from the held one's: a
// hash of the rows decides, since writing the iCalendar text is what costs (1–3 s for ~1,500 events).
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Encoded, etagOf, gzipOnce } from '../../core/content-coding.js';
import { preparedStatement } from '../../db/prepared.js';
import type { Database } from '../../db/tables.js';
import { findUnit } from '../org/org.queries.js';

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;
/** Calendar apps drop what leaves a subscribed feed: a month of history, half a year ahead. */
export const FEED_DAYS_BEFORE = 30;
export const FEED_DAYS_AFTER = 180;

export type FeedWindow = { day: string; from: string; to: string };

/**
 * The activities a feed holds start in [from, to): from China midnight FEED_DAYS_BEFORE days before
 * today to China midnight after the FEED_DAYS_AFTER-th day ahead. It moves once a China day, so a feed
 * stays cacheable all day.
 */
export function feedWindow(now: Date): FeedWindow {
  const todayStart = Math.floor((now.getTime() + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS - CHINA_OFFSET_MS;
  return {
    day: new Date(todayStart + CHINA_OFFSET_MS).toISOString().slice(0, 10),
    from: new Date(todayStart - FEED_DAYS_BEFORE * DAY_MS).toISOString(),
    to: new Date(todayStart + (FEED_DAYS_AFTER + 1) * DAY_MS).toISOString(),
  };
}

// Read on every request (it is what makes the cache exact across processes): compiled once.
const readFeedStamps = preparedStatement<Record<string, never>, { name: string; stamp: number }>([], (db) =>
  db.selectFrom('changeStamps').select(['name', 'stamp']).where('name', 'in', ['activities', 'org_units']),
);

/** The change stamps a unit feed depends on: `key` joins them ("activities:org_units"). One primary-key read. */
export async function feedStamps(db: Kysely<Database>): Promise<{ key: string; orgUnits: string }> {
  const { rows } = await readFeedStamps(db, {});
  const of = (name: string) => String(rows.find((r) => r.name === name)?.stamp ?? 0);
  return { key: `${of('activities')}:${of('org_units')}`, orgUnits: of('org_units') };
}

/** A built feed, and its gzip made once on first use (calendar apps ask for gzip; ~a tenth of the bytes). */
export type CachedFeed = Encoded & { gzipped: () => Promise<Encoded> };

export type FeedUnit = { id: number; path: string; name: string };

/**
 * The unit a feed is asked for, kept under the org units' stamp: a feed prints the unit's name and reads its
 * path's subtree, and a rename or a move bumps that stamp (units are never deleted), so a unit read under the
 * stamp just read is still right. Saves a read on every request of a polled feed.
 */
export function feedUnitLookup(db: Kysely<Database>, maxUnits = 10_000) {
  const seen = new Map<number, { orgStamp: string; unit: FeedUnit }>();
  return async (id: number, orgStamp: string): Promise<FeedUnit | undefined> => {
    const hit = seen.get(id);
    if (hit?.orgStamp === orgStamp) return hit.unit;
    const row = await findUnit(db, id);
    if (!row) return undefined;
    if (seen.size >= maxUnits) seen.delete(seen.keys().next().value as number);
    const unit = { id: row.id, path: row.path, name: row.name };
    seen.set(id, { orgStamp, unit });
    return unit;
  };
}

/** What a feed is made of, read under the current stamps: a hash of it, and how to write the body. */
export type FeedSource = { contentHash: string; write: () => Buffer };

export function contentHashOf(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

/** A strong validator (RFC 9110 8.8.3): the same bytes in every process, whatever built them. */
/**
 * One built feed per unit (the newest window and stamps), least recently used dropped past `maxBytes` of
 * bodies (a gzip, once made, adds about a tenth of its body);
 * requests that miss together wait for the same build instead of each building it.
 */
export function unitFeedCache(maxBytes = 32 * 1024 * 1024) {
  const entries = new Map<number, { feed: CachedFeed; key: string; contentHash: string }>();
  let writes = 0;
  const building = new Map<string, Promise<CachedFeed>>();
  let bytes = 0;

  const drop = (unitId: number) => {
    const old = entries.get(unitId);
    if (old) bytes -= old.feed.body.length;
    entries.delete(unitId);
  };

  return {
    async get(unitId: number, key: string, read: () => Promise<FeedSource>): Promise<CachedFeed> {
      const hit = entries.get(unitId);
      if (hit?.key === key) {
        // Map order is the recency order: move it to the end.
        entries.delete(unitId);
        entries.set(unitId, hit);
        return hit.feed;
      }
      const buildKey = `${unitId}|${key}`;
      const pending = building.get(buildKey);
      if (pending) return pending;
      const made = (async () => {
        const source = await read();
        const held = entries.get(unitId);
        let feed: CachedFeed;
        if (held?.contentHash === source.contentHash) {
          feed = held.feed;
        } else {
          const body = source.write();
          writes += 1;
          const identity = { body, etag: etagOf(body) };
          feed = { ...identity, gzipped: gzipOnce(identity) };
        }
        drop(unitId);
        if (feed.body.length <= maxBytes) {
          entries.set(unitId, { feed, key, contentHash: source.contentHash });
          bytes += feed.body.length;
          for (const [id] of entries) {
            if (bytes <= maxBytes) break;
            drop(id);
          }
        }
        return feed;
      })();
      building.set(buildKey, made);
      try {
        return await made;
      } finally {
        building.delete(buildKey);
      }
    },
    /** For tests: how many feeds are held, and how many bodies were written. */
    size: () => entries.size,
    writes: () => writes,
  };
}
