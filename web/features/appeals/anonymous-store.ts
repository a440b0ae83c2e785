// Anonymous appeals are tied to no account, so the only place that knows a worker filed one is the
// phone they filed it on: the code and secret are kept in this browser's storage and nowhere else.
const STORAGE_KEY = 'convoy.anonymousAppeals';

export type RememberedAppeal = { id: number; code: string; secret: string; filedAt: string };

function isRemembered(value: unknown): value is RememberedAppeal {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'number' && typeof v.code === 'string' && typeof v.secret === 'string' && typeof v.filedAt === 'string';
}

export function rememberedAppeals(): RememberedAppeal[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isRemembered) : [];
  } catch {
    return [];
  }
}

function store(list: RememberedAppeal[]): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(list));
  } catch {
    // Private mode may forbid storage; the confirmation page still shows the code and link to keep.
  }
}

export function rememberAppeal(appeal: RememberedAppeal): void {
  store([appeal, ...rememberedAppeals().filter((r) => r.code !== appeal.code)]);
}

export function forgetAppeal(code: string): void {
  store(rememberedAppeals().filter((r) => r.code !== code));
}

/** The path that opens an anonymous appeal with the right to act on it; `s` is the secret. */
export function trackPath(code: string, secret?: string): string {
  return `/track/${encodeURIComponent(code)}${secret ? `?s=${encodeURIComponent(secret)}` : ''}`;
}
