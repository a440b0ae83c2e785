import { describe, expect, it } from 'vitest';
import { appealStatuses } from '../appeals/appeals.schema.js';
import { appealStatusesOf, coarseCoordinate, contactNameOf, open311StatusOf, searchWindow, statusNotesOf } from './open311.rules.js';
import { escapeXml, xmlList, xmlRecord } from './open311.xml.js';

const NOW = new Date('2026-11-25T02:00:00.000Z');

describe('Open311 status mapping', () => {
  it('closes answered and ended appeals and keeps referred ones open', () => {
    expect(appealStatusesOf(['closed'], appealStatuses).sort()).toEqual(['confirmed', 'merged', 'partly_resolved', 'rejected', 'resolved']);
    expect(open311StatusOf('referred')).toBe('open');
    expect(open311StatusOf('reopened')).toBe('open');
    expect(appealStatusesOf(['open', 'closed'], appealStatuses)).toEqual([...appealStatuses]);
  });

  it('says Convoy’s state, the holder and the public reason in the reader’s language', () => {
    const rejected = { status: 'rejected' as const, unitName: '第一支部', referredTo: null, rejectReason: '重复提交' };
    expect(statusNotesOf(rejected, 'zh-CN')).toBe('不予受理 · 第一支部 · 理由：重复提交');
    expect(statusNotesOf(rejected, 'en')).toBe('Rejected · 第一支部 · Reason: 重复提交');
    expect(statusNotesOf({ status: 'referred', unitName: '平台党委', referredTo: '劳动监察支队', rejectReason: null }, 'zh-CN')).toContain('转交：劳动监察支队');
  });
});

describe('Open311 search window and privacy helpers', () => {
  it('defaults to the last 90 days and refuses longer or backwards windows', () => {
    expect(searchWindow({ now: NOW })).toEqual({ from: '2026-08-27T02:00:00.000Z', to: NOW.toISOString() });
    expect(searchWindow({ start: '2026-01-01T00:00:00+08:00', now: NOW })).toEqual({ from: '2025-12-31T16:00:00.000Z', to: '2026-03-31T16:00:00.000Z' });
    expect(searchWindow({ start: '2026-01-01T00:00:00Z', end: '2026-05-01T00:00:00Z', now: NOW })).toHaveProperty('error');
    expect(searchWindow({ start: '2026-02-01T00:00:00Z', end: '2026-01-01T00:00:00Z', now: NOW })).toHaveProperty('error');
  });

  it('rounds coordinates to about a hundred metres', () => {
    expect(coarseCoordinate(30.657234)).toBe(30.657);
    expect(coarseCoordinate(-122.4651145)).toBe(-122.465);
    expect(coarseCoordinate(null)).toBeNull();
  });

  it('joins a Chinese name family name first and other names given name first', () => {
    expect(contactNameOf('建国', '王')).toBe('王建国');
    expect(contactNameOf('Ada', 'Lovelace')).toBe('Ada Lovelace');
    expect(contactNameOf(' ', undefined)).toBeUndefined();
  });
});

describe('Open311 XML', () => {
  it('escapes markup characters and replaces characters XML 1.0 forbids', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(escapeXml('bell\u0007 lone\uD800 ok\u{1F600}')).toBe('bell\uFFFD lone\uFFFD ok\u{1F600}');
  });

  it('writes nulls as empty elements and lists as repeated children', () => {
    expect(xmlList('errors', 'error', [{ code: 400, description: 'a < b' }])).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>400</code><description>a &lt; b</description></error></errors>\n',
    );
    expect(xmlRecord('service_definition', { service_code: 'x', note: null, attributes: [{ code: 'c', required: true }] }, { attributes: 'attribute' })).toContain(
      '<service_code>x</service_code><note/><attributes><attribute><code>c</code><required>true</required></attribute></attributes>',
    );
  });
});
