// Activities happen on China time wherever the browser is: inputs, calendar days and months are read
// and written as UTC+8 (China has had no daylight saving since 1991).
const CHINA_OFFSET_MS = 8 * 3_600_000;

const pad = (n: number) => String(n).padStart(2, '0');

/** The China wall-clock parts of an instant. */
function chinaParts(iso: string) {
  const d = new Date(Date.parse(iso) + CHINA_OFFSET_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), weekday: d.getUTCDay() };
}

/** YYYY-MM-DD in China. */
export function chinaDateOf(iso: string): string {
  const p = chinaParts(iso);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** YYYY-MM in China: the month an activity belongs to on the calendar and in the figures. */
export function chinaMonthOf(iso: string): string {
  return chinaDateOf(iso).slice(0, 7);
}

/** HH:MM in China. */
export function chinaClockOf(iso: string): string {
  const p = chinaParts(iso);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** 0 = Sunday … 6 = Saturday, in China. */
export function chinaWeekdayOf(iso: string): number {
  return chinaParts(iso).weekday;
}

/** The value a datetime-local input shows for an instant, in China time. */
export function toChinaInput(iso: string | null | undefined): string {
  if (!iso) return '';
  return `${chinaDateOf(iso)}T${chinaClockOf(iso)}`;
}

/** An instant from a datetime-local value read as China time; null when empty or malformed. */
export function fromChinaInput(value: string | null | undefined): string | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const at = Date.parse(`${value}:00+08:00`);
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}

/** The instants a China calendar month spans: [from, to). */
export function chinaMonthRange(month: string): { from: string; to: string } {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return { from: new Date(Date.UTC(year, mon - 1, 1) - CHINA_OFFSET_MS).toISOString(), to: new Date(Date.UTC(year, mon, 1) - CHINA_OFFSET_MS).toISOString() };
}

/** The month `delta` months after `month` (YYYY-MM). */
export function shiftMonth(month: string, delta: number): string {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(year, mon - 1 + delta, 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
}

/** 2026-12-08 09:00–11:00, or both ends in full when it runs past a day. */
export function formatChinaSpan(startsAt: string, endsAt: string): string {
  const start = `${chinaDateOf(startsAt)} ${chinaClockOf(startsAt)}`;
  return chinaDateOf(startsAt) === chinaDateOf(endsAt) ? `${start}–${chinaClockOf(endsAt)}` : `${start} – ${chinaDateOf(endsAt)} ${chinaClockOf(endsAt)}`;
}
