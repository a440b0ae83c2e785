import { describe, expect, it } from 'vitest';
import { etagOf, noneMatch } from '../../core/content-coding.js';
import { type FeedSource, unitFeedCache } from './activities.feed-cache.js';

const source = (contentHash: string, text: string, counter: { reads: number }): (() => Promise<FeedSource>) => async () => {
  counter.reads += 1;
  return { contentHash, write: () => Buffer.from(text) };
};

describe('the unit feed cache', () => {
  it('writes a body once per content: new stamps with the same rows keep the body and its ETag', async () => {
    const cache = unitFeedCache();
    const counter = { reads: 0 };
    const first = await cache.get(1, 'day|1:0', source('rows-a', 'BEGIN:VCALENDAR a', counter));
    expect(first.etag).toBe(etagOf(Buffer.from('BEGIN:VCALENDAR a')));
    // The same key is a hit: nothing read.
    expect(await cache.get(1, 'day|1:0', source('rows-a', 'unused', counter))).toEqual(first);
    expect(counter.reads).toBe(1);
    // A write elsewhere (new stamps, same rows): read again, not written again.
    const same = await cache.get(1, 'day|2:0', source('rows-a', 'unused', counter));
    expect(same.etag).toBe(first.etag);
    expect(counter.reads).toBe(2);
    expect(cache.writes()).toBe(1);
    // Other rows: a new body.
    const changed = await cache.get(1, 'day|3:0', source('rows-b', 'BEGIN:VCALENDAR b', counter));
    expect(changed.etag).not.toBe(first.etag);
    expect(cache.writes()).toBe(2);
  });

  it('lets requests that miss together share one read, and keeps within its byte budget', async () => {
    const cache = unitFeedCache(10);
    const counter = { reads: 0 };
    const [a, b] = await Promise.all([cache.get(1, 'k', source('h', '12345', counter)), cache.get(1, 'k', source('h', '12345', counter))]);
    expect(a).toBe(b);
    expect(counter.reads).toBe(1);
    await cache.get(2, 'k', source('h2', '67890', counter));
    expect(cache.size()).toBe(2);
    // A third 5-byte feed passes the 10 bytes: the least recently used (unit 1) goes.
    await cache.get(3, 'k', source('h3', 'abcde', counter));
    expect(cache.size()).toBe(2);
    await cache.get(1, 'k', source('h', '12345', counter));
    expect(counter.reads).toBe(4);
  });

  it('compares If-None-Match weakly, in lists, and with *', () => {
    const etag = '"abc"';
    expect(noneMatch(undefined, etag)).toBe(false);
    expect(noneMatch('"abc"', etag)).toBe(true);
    expect(noneMatch('W/"abc"', etag)).toBe(true);
    expect(noneMatch('"x", "abc"', etag)).toBe(true);
    expect(noneMatch('*', etag)).toBe(true);
    expect(noneMatch('"abcd"', etag)).toBe(false);
  });
});
