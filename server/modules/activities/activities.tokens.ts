// Secrets that stand in for a login where a login cannot happen: the QR code at the venue, and the
// calendar feeds a calendar app polls. Each is an HMAC under its own key derived from CONVOY_SECRET, so
// nothing is stored and nothing from one purpose opens another.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

function keyFor(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'convoy', `activities:${purpose}`, 32));
}

function mac(key: Buffer, message: string): string {
  // 128 bits are ample for a token nobody can try at scale behind rate limits.
  return createHmac('sha256', key).update(message).digest('base64url').slice(0, 22);
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export type ActivityTokens = {
  checkIn: (activityId: number) => string;
  checkInMatches: (activityId: number, token: string) => boolean;
  unitFeed: (unitId: number) => string;
  unitFeedMatches: (unitId: number, token: string) => boolean;
  /** "<userId>.<mac>": the per-user feed has no session, so the token names whose it is. */
  userFeed: (userId: number) => string;
  userOfFeedToken: (token: string) => number | null;
};

export function activityTokens(secret: string): ActivityTokens {
  const checkInKey = keyFor(secret, 'check-in');
  const unitFeedKey = keyFor(secret, 'unit-feed');
  const userFeedKey = keyFor(secret, 'user-feed');
  return {
    checkIn: (id) => mac(checkInKey, `activity:${id}`),
    checkInMatches: (id, token) => same(mac(checkInKey, `activity:${id}`), token),
    unitFeed: (id) => mac(unitFeedKey, `unit:${id}`),
    unitFeedMatches: (id, token) => same(mac(unitFeedKey, `unit:${id}`), token),
    userFeed: (id) => `${id}.${mac(userFeedKey, `user:${id}`)}`,
    userOfFeedToken: (token) => {
      const match = /^(\d{1,10})\.([A-Za-z0-9_-]{22})$/.exec(token);
      if (!match) return null;
      const id = Number(match[1]);
      return same(mac(userFeedKey, `user:${id}`), match[2] as string) ? id : null;
    },
  };
}
