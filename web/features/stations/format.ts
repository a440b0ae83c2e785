// Small pure formatting for station pages: distances as people say them, and the service filter in the URL.
import { STATION_SERVICES, type StationService } from './api';

/** 350 m under a kilometre; 1.2 km under ten; 12 km beyond (a decimal there promises too much). */
export function formatDistance(metres: number, locale: string): string {
  const zh = locale.startsWith('zh');
  if (metres < 1000) return zh ? `${Math.round(metres)} 米` : `${Math.round(metres)} m`;
  const km = metres / 1000;
  const text = km < 10 ? (Math.round(km * 10) / 10).toFixed(1) : String(Math.round(km));
  return zh ? `${text} 公里` : `${text} km`;
}

/** "ev_charging,toilet" from the address bar, keeping only known codes in the server's order. */
export function servicesFromParam(value: string | null): StationService[] {
  const wanted = new Set((value ?? '').split(','));
  return STATION_SERVICES.filter((s) => wanted.has(s));
}
