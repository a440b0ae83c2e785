import { currentLocale } from './i18n';

const API_BASE = '/api/v1';
const CSRF_COOKIE = 'convoy_csrf';

export type FieldProblem = { field: string; message: string };

/** An RFC 9457 problem answered by the server, or a network failure dressed as one. */
export class ApiError extends Error {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance: string;
  readonly requestId: string;
  readonly errors: FieldProblem[];

  constructor(problem: Partial<Omit<ApiError, 'errors'>> & { status: number; errors?: FieldProblem[] }) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.type = problem.type ?? 'about:blank';
    this.title = problem.title ?? '';
    this.status = problem.status;
    this.detail = problem.detail ?? problem.title ?? '';
    this.code = problem.code ?? 'UNKNOWN';
    this.instance = problem.instance ?? '';
    this.requestId = problem.requestId ?? '';
    this.errors = problem.errors ?? [];
  }
}

export type Page<T> = { items: T[]; nextCursor: string | null };

type QueryValue = string | number | boolean | null | undefined;

let unauthorizedHandler: (() => void) | null = null;
let csrfTokenFallback: string | null = null;

/** The app decides what a lost session means (clear the user, go to the login page). */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

/** Login and /auth/me also return the token; kept for when the cookie cannot be read. */
export function rememberCsrfToken(token: string | null): void {
  csrfTokenFallback = token;
}

function readCookie(name: string): string | null {
  const prefix = `${name}=`;
  for (const part of document.cookie.split(';')) {
    const trimmed = part.trim();
    if (trimmed.startsWith(prefix)) return decodeURIComponent(trimmed.slice(prefix.length));
  }
  return null;
}

export function queryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function problemOf(response: Response): Promise<ApiError> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Partial<ApiError> & { errors?: FieldProblem[] };
      return new ApiError({ ...body, status: response.status });
    } catch {
      // fall through to a bare status
    }
  }
  return new ApiError({ status: response.status, title: response.statusText });
}

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** A 401 here is an expected answer (wrong password, not logged in yet), not a lost session. */
  expectUnauthorized?: boolean;
  /** Extra headers, such as Idempotency-Key on a filing that may be retried. */
  headers?: Record<string, string>;
  /** Raw bytes (a photo) sent as they are, with their own content type, instead of a JSON body. */
  blob?: Blob;
};

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    // The server answers problem details in this language.
    'Accept-Language': currentLocale(),
    ...options.headers,
  };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.blob !== undefined) headers['Content-Type'] = options.blob.type || 'application/octet-stream';
  if (method !== 'GET') {
    const token = readCookie(CSRF_COOKIE) ?? csrfTokenFallback;
    if (token) headers['X-CSRF-Token'] = token;
  }

  let response: Response;
  try {
    response = await fetch(API_BASE + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.blob ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ status: 0, code: 'NETWORK', detail: '' });
  }

  if (!response.ok) {
    const problem = await problemOf(response);
    if (response.status === 401 && !options.expectUnauthorized) unauthorizedHandler?.();
    throw problem;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, params: Record<string, QueryValue> = {}, signal?: AbortSignal) =>
    apiRequest<T>(path + queryString(params), { signal }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'POST', body }),
  put: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'PATCH', body }),
};

/** Follows nextCursor until the list ends or `maxPages` is reached; for short lists such as children. */
export async function fetchAllPages<T>(
  path: string,
  params: Record<string, QueryValue>,
  signal?: AbortSignal,
  maxPages = 10,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page += 1) {
    const result: Page<T> = await api.get<Page<T>>(path, { ...params, cursor }, signal);
    items.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return items;
}
