// Dates, months and instants a client sends, checked against the calendar and not only their shape. A
// regex let 2026-02-30, 9999-99-99 and year 0000 through: SQLite stored them as text, PostgreSQL's date and
// timestamptz columns refused them (a 500). Convoy's dates fall in years 1900–2999 on both engines: a
// join date or a founding date lies after 1900, and nothing is planned past 2999. The margin matters:
// a default window derived from a date (a year before `to`, 90 days after `start_date`) must stay inside
// what PostgreSQL and ISO strings hold; from year 0001 or 9999 it did not, and answered 500.
import { z } from 'zod';

export const EARLIEST_YEAR = 1900;
export const LATEST_YEAR = 2999;

const yearIsKept = (text: string) => {
  const year = Number(text.slice(0, 4));
  return year >= EARLIEST_YEAR && year <= LATEST_YEAR;
};

// Said as the format's own issue, so the client reads the same bilingual "wrong format (date)" as for 2026-02-30.
const keptYears = (format: 'date' | 'datetime' | 'month', isKept: (text: string) => boolean) => (text: string, ctx: z.RefinementCtx) => {
  if (!isKept(text)) ctx.addIssue({ code: 'invalid_format', format, input: text, message: `a ${format} in years ${EARLIEST_YEAR}–${LATEST_YEAR}` });
};

/** A calendar date, YYYY-MM-DD (leap years counted), years 1900–2999. */
export const calendarDateSchema = z.iso.date().superRefine(keptYears('date', yearIsKept)).describe(`YYYY-MM-DD, years ${EARLIEST_YEAR}–${LATEST_YEAR}`);

/** A calendar month, YYYY-MM, years 1900–2999. */
export const calendarMonthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
  .superRefine(keptYears('month', yearIsKept))
  .describe(`YYYY-MM, years ${EARLIEST_YEAR}–${LATEST_YEAR}`);

/**
 * An instant with its offset (2026-11-25T10:00:00+08:00 or …Z); a local time without one is refused, as
 * it names no instant. Its UTC moment must fall in years 1900–2999 too, where it is stored and compared.
 */
export const instantSchema = z.iso
  .datetime({ offset: true })
  .superRefine(
    keptYears('datetime', (text) => {
      const at = Date.parse(text);
      // Not a date-time at all is already said by the format check; this one speaks of the years only.
      return Number.isNaN(at) || yearIsKept(new Date(at).toISOString());
    }),
  )
  .describe(`ISO 8601 date and time with Z or an offset, years ${EARLIEST_YEAR}–${LATEST_YEAR}`);
