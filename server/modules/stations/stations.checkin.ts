// Check-in by QR code. The code carries a URL with a token that is an HMAC of the station id under a
// key derived from CONVOY_SECRET: a printed code works for as long as the station exists, and nobody
// can make a valid code for a station id by guessing, so a visit means someone stood at the station.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import QRCode from 'qrcode';

const keys = new Map<string, Buffer>();

function keyOf(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, 'convoy', 'station-check-in', 32));
    keys.set(secret, key);
  }
  return key;
}

/** 128 bits of the HMAC, base64url: short enough for a small, robust QR code, far beyond guessing. */
export function checkInToken(secret: string, stationId: number): string {
  return createHmac('sha256', keyOf(secret)).update(`station:${stationId}`).digest().subarray(0, 16).toString('base64url');
}

export function validCheckInToken(secret: string, stationId: number, token: string): boolean {
  const expected = Buffer.from(checkInToken(secret, stationId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The page a scan opens (the web app's /s/:id), which posts the token as a check-in once logged in. */
export const checkInPath = (stationId: number, token: string) => `/s/${stationId}?t=${token}`;

/** A printable SVG; level M survives a scuffed or partly covered print. */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
