// Time comes from a clock passed in, so rules and tests can fix "now" instead of sleeping.
export type Clock = { now: () => Date };

export const systemClock: Clock = { now: () => new Date() };

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
