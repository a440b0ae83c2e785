// Dates, months and instants a client sends, checked against the calendar and not only their shape. A
// regex let 2026-02-30, 9999-99-99 and year 0000 through: SQLite stored them as text, PostgreSQL's date and
// timestamptz columns refused them (a 500). Years run from 0001 to 9999 on both engines; PostgreSQL has no
// year 0, and past 9999 an ISO string needs six digits and a sign that neither engine's text sorts right.
import { z } from 'zod';

// Said as the format's own issue, so the client reads the same bilingual "wrong format (date)" as for 2026-02-30.
const outsideYears = (format: 'date' | 'datetime' | 'month', isInside: (text: string) => boolean) => (text: string, ctx: z.RefinementCtx) => {
  if (!isInside(text)) ctx.addIssue({ code: 'invalid_format', format, input: text, message: `a ${format} in years 0001–9999` });
};
const notYearZero = (text: string) => !text.startsWith('0000');

/** A calendar date, YYYY-MM-DD (leap years counted), years 0001–9999. */
export const calendarDateSchema = z.iso.date().superRefine(outsideYears('date', notYearZero)).describe('YYYY-MM-DD');

/** A calendar month, YYYY-MM, years 0001–9999. */
export const calendarMonthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
  .superRefine(outsideYears('month', notYearZero))
  .describe('YYYY-MM');

const EARLIEST_INSTANT = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * An instant with its offset (2026-11-25T10:00:00+08:00 or …Z). Its UTC moment must fall in years
 * 0001–9999 too: 0001-01-01T00:00:00+08:00 is still year 0 in UTC, where it is stored.
 */
export const instantSchema = z.iso
  .datetime({ offset: true })
  .superRefine(
    outsideYears('datetime', (text) => {
      const at = Date.parse(text);
      // Not a date-time at all is already said by the format check; this one speaks of the years only.
      return Number.isNaN(at) || (at >= EARLIEST_INSTANT && at <= LATEST_INSTANT);
    }),
  )
  .describe('ISO 8601 date and time with Z or an offset');
