// People using Convoy work on China time wherever their browser thinks it is.
const CHINA_TIME_ZONE = 'Asia/Shanghai';

/** Today's date in China as YYYY-MM-DD (the form the API takes). */
export function chinaToday(now = new Date()): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: CHINA_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const chinaClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: CHINA_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** 2026-11-25 18:31:07 China time, or null for what is not an instant. */
function chinaDateTimeOf(iso: string): string | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  const parts = Object.fromEntries(chinaClock.formatToParts(date).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** An ISO instant shown as China time, 2026-11-25 18:31:07, the same in both languages. */
export function formatChinaDateTime(iso: string): string {
  return chinaDateTimeOf(iso) ?? iso;
}

/** 2026-11-28 21:32, China time: short enough for a phone, the same in both languages. */
export function formatChinaMinute(iso: string): string {
  return chinaDateTimeOf(iso)?.slice(0, 16) ?? iso;
}
