// Figures over appeals: plain arithmetic on rows the query hands over, so it is tested without a database.
// Weeks are ISO weeks in China time (Monday first), named by their Monday: "2026-11-23".

const DAY = 86_400_000;
const CHINA_OFFSET = 8 * 3_600_000;

/** The Monday (China time) of the week an instant falls in, as YYYY-MM-DD. */
export function weekOf(at: string | Date): string {
  const local = new Date(new Date(at).getTime() + CHINA_OFFSET);
  const weekday = (local.getUTCDay() + 6) % 7;
  return new Date(local.getTime() - weekday * DAY).toISOString().slice(0, 10);
}

/** Mondays from the week of `from` to the week of `to`, inclusive. */
export function weeksBetween(from: string | Date, to: string | Date): string[] {
  const weeks: string[] = [];
  // Compared as instants, not as text: past year 9999 an ISO string starts with "+" and sorts before every
  // Monday, and a window ending in December 9999 looped for ever, holding the server.
  const last = Date.parse(`${weekOf(to)}T00:00:00Z`);
  for (let monday = Date.parse(`${weekOf(from)}T00:00:00Z`); monday <= last; monday += 7 * DAY) weeks.push(new Date(monday).toISOString().slice(0, 10));
  return weeks;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 1000;
}

export type FigureRow<C extends string = string> = {
  category: C;
  status: string;
  createdAt: string;
  acknowledgedAt: string | null;
  answeredAt: string | null;
  acknowledgedOnTime: number | null;
  resolvedOnTime: number | null;
  rating: number | null;
  dueAt: string | null;
};

const hoursBetween = (from: string, to: string) => Math.round(((Date.parse(to) - Date.parse(from)) / 3_600_000) * 10) / 10;

export function appealFigures<C extends string>(rows: readonly FigureRow<C>[], options: { from: string; to: string; now: string; closed: ReadonlySet<string> }) {
  const weeks = weeksBetween(options.from, options.to);
  const volume = new Map<string, number>();
  for (const row of rows) {
    const key = `${weekOf(row.createdAt)}|${row.category}`;
    volume.set(key, (volume.get(key) ?? 0) + 1);
  }
  const acknowledged = rows.filter((r) => r.acknowledgedAt !== null);
  const answered = rows.filter((r) => r.resolvedOnTime !== null);
  const ackJudged = rows.filter((r) => r.acknowledgedOnTime !== null);
  const rated = rows.filter((r) => r.rating !== null).map((r) => r.rating!);
  return {
    weeks,
    volume: [...volume.entries()].map(([key, count]) => {
      const [week, category] = key.split('|') as [string, C];
      return { week, category, count };
    }),
    total: rows.length,
    medianHoursToAcknowledge: median(acknowledged.map((r) => hoursBetween(r.createdAt, r.acknowledgedAt!))),
    medianHoursToResolve: median(rows.filter((r) => r.answeredAt !== null).map((r) => hoursBetween(r.createdAt, r.answeredAt!))),
    acknowledgedOnTimeShare: share(ackJudged.filter((r) => r.acknowledgedOnTime === 1).length, ackJudged.length),
    resolvedOnTimeShare: share(answered.filter((r) => r.resolvedOnTime === 1).length, answered.length),
    satisfaction: {
      average: rated.length === 0 ? null : Math.round((rated.reduce((a, b) => a + b, 0) / rated.length) * 100) / 100,
      ratings: [1, 2, 3, 4, 5].map((stars) => ({ stars, count: rated.filter((r) => r === stars).length })),
    },
    openOverdue: rows.filter((r) => !options.closed.has(r.status) && r.dueAt !== null && r.dueAt < options.now).length,
  };
}
