// iCalendar (RFC 5545) feeds of activities, written by ical-generator. Times are given in Asia/Shanghai
// with a VTIMEZONE of our own (UTC+8, no daylight saving since 1991), so calendar apps anywhere show
// the local time of the venue. UID is stable per activity; SEQUENCE follows its version, and a
// cancelled activity stays in the feed with STATUS:CANCELLED so subscribed calendars drop it.
import ical, { ICalCalendarMethod, type ICalDayJsStub, ICalEventStatus } from 'ical-generator';
import type { ParticipantStatus } from '../../db/tables-activities.js';
import type { ActivityRow } from './activities.queries.js';
import { activityKindNames } from './activities.schema.js';

export const CHINA_ZONE = 'Asia/Shanghai';
const CHINA_OFFSET_MS = 8 * 3_600_000;

const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${CHINA_ZONE}`,
  `X-LIC-LOCATION:${CHINA_ZONE}`,
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0800',
  'TZOFFSETTO:+0800',
  'TZNAME:CST',
  'DTSTART:19700101T000000',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

/**
 * An instant that ical-generator prints as wall-clock time in China. Plain Dates would be printed in
 * the server process's own zone once a TZID is set, so the offset is applied here instead; this is the
 * day.js-shaped value the library accepts (tz(), utc(), format()).
 */
class ChinaTime implements ICalDayJsStub {
  constructor(
    private readonly at: Date,
    private readonly offsetMs = 0,
  ) {}
  tz(zone?: string): ChinaTime {
    if (zone !== CHINA_ZONE) throw new Error(`Only ${CHINA_ZONE} is supported, not ${String(zone)}`);
    return new ChinaTime(this.at, CHINA_OFFSET_MS);
  }
  utc(): ChinaTime {
    return new ChinaTime(this.at, 0);
  }
  format(pattern?: string): string {
    const text = new Date(this.at.getTime() + this.offsetMs).toISOString();
    if (pattern === 'YYYYMMDD') return text.slice(0, 10).replaceAll('-', '');
    if (pattern === 'HHmmss') return text.slice(11, 19).replaceAll(':', '');
    throw new Error(`Unexpected date pattern ${String(pattern)}`);
  }
  isValid(): boolean {
    return !Number.isNaN(this.at.getTime());
  }
  toDate(): Date {
    return new Date(this.at);
  }
  toJSON(): string {
    return this.at.toISOString();
  }
}

export type FeedActivity = ActivityRow & { participantStatus?: ParticipantStatus };

export function activityUid(id: number): string {
  return `activity-${id}@convoy`;
}

export function buildFeed(name: string, rows: readonly FeedActivity[]): string {
  const calendar = ical({
    name,
    prodId: { company: 'convoy', product: 'activities', language: 'ZH' },
    method: ICalCalendarMethod.PUBLISH,
    // No calendar-wide zone name: ical-generator would then print DTSTAMP and LAST-MODIFIED as local
    // times, which RFC 5545 requires in UTC. The generator still writes a VTIMEZONE for each event's zone.
    timezone: { name: null, generator: (zone) => (zone === CHINA_ZONE ? VTIMEZONE : null) },
    ttl: 3600,
  });
  for (const a of rows) {
    const kind = activityKindNames[a.kind];
    const waitlisted = a.participantStatus === 'waitlisted';
    const lines = [`${kind.zh} · ${a.unitName}`, a.description ?? ''];
    if (waitlisted) lines.unshift('（候补中 / on the waitlist）');
    if (a.status === 'cancelled' && a.cancelReason) lines.push(`取消原因 / cancelled: ${a.cancelReason}`);
    calendar.createEvent({
      id: activityUid(a.id),
      // RFC 5545 3.8.7.4: a new component has sequence 0; every later version counts one up.
      sequence: a.version - 1,
      start: new ChinaTime(new Date(a.startsAt)),
      end: new ChinaTime(new Date(a.endsAt)),
      timezone: CHINA_ZONE,
      summary: a.title,
      description: lines.filter(Boolean).join('\n'),
      location: a.address ?? (a.stationId !== null ? `服务站点 #${a.stationId}` : null),
      ...(a.lat !== null && a.lng !== null && a.address ? { location: { title: a.address, geo: { lat: a.lat, lon: a.lng } } } : {}),
      status: a.status === 'cancelled' ? ICalEventStatus.CANCELLED : waitlisted ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
      // DTSTAMP is the last revision for a published feed, so an unchanged activity reads the same on every poll.
      stamp: new Date(a.updatedAt),
      created: new Date(a.createdAt),
      lastModified: new Date(a.updatedAt),
    });
  }
  return calendar.toString();
}
