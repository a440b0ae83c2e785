// Time comes from a clock passed in, so rules and tests can fix "now" instead of sleeping.
export type Clock = { now: () => Date };

export const systemClock: Clock = { now: () => new Date() };

/**
 * Real time, moved to begin at `start`: a server serving a data set made for another moment (the bench's
 * world is made for 10:00 China time of its day) sees the deadlines as they were made, not hours of
 * missed ones for its scheduler to escalate while it is being measured.
 */
export function clockStartingAt(start: Date, realNow: () => number = Date.now): Clock {
  const shift = start.getTime() - realNow();
  return { now: () => new Date(realNow() + shift) };
}

export function fixedClock(start: Date | string): Clock & { advance: (ms: number) => void; set: (at: Date | string) => void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
    set: (at) => {
      current = new Date(at);
    },
  };
}

/** YYYY-MM-DD of an instant as seen in China (UTC+8, no daylight saving). */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** "YYYY-MM-DD HH:mm" of an instant as seen in China, for text meant for people (notifications, notes). */
export function chinaTime(at: Date | string): string {
  return new Date(new Date(at).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}
