// What every fuzzed answer must be: below 500; a 4xx is problem+json with a title in the language asked
// for and a detail (Open311 answers its own error list instead); a 2xx JSON answer matches the route's
// declared schema. And what a rejected request must leave behind: nothing.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { sql } from 'kysely';
import type { ConvoyDb } from '../db/database.js';
import { tableChecksums } from '../db/backup.js';
import { localeOf, messages } from '../core/i18n.js';
import type { FuzzRequest, FuzzRoute } from './fuzz.requests.js';

export type Answer = { statusCode: number; headers: Record<string, string | string[] | number | undefined>; body: string };

const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
const validators = new Map<string, ValidateFunction>();

function validatorFor(route: FuzzRoute, status: number): ValidateFunction | undefined {
  const schema = route.responses[String(status)];
  if (!schema) return undefined;
  const key = `${route.method} ${route.path} ${status}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(key, validate);
  }
  return validate;
}

/** The request in a form a failing test can print and a person can replay. */
export function describeRequest(request: FuzzRequest): string {
  const payload = request.payload === undefined ? '' : Buffer.isBuffer(request.payload) ? `<${request.payload.length} bytes>` : request.payload.slice(0, 600);
  return `${request.caller} ${request.method} ${request.url.slice(0, 600)} ${JSON.stringify(request.headers).slice(0, 300)} ${payload}`;
}

const contentTypeOf = (answer: Answer) => String(answer.headers['content-type'] ?? '');

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function problemFailure(request: FuzzRequest, answer: Answer): string | undefined {
  if (!contentTypeOf(answer).startsWith('application/problem+json')) return `a ${answer.statusCode} must be application/problem+json, not "${contentTypeOf(answer)}"`;
  const problem = parseJson(answer.body) as { status?: unknown; title?: unknown; detail?: unknown; code?: unknown } | undefined;
  if (!problem || typeof problem !== 'object') return 'the problem document is not JSON';
  if (problem.status !== answer.statusCode) return `the problem's status ${String(problem.status)} differs from the answer's ${answer.statusCode}`;
  if (typeof problem.detail !== 'string' || problem.detail.trim() === '') return 'the problem has no detail';
  const message = typeof problem.code === 'string' ? (messages as Record<string, { title: { zh: string; en: string } }>)[problem.code] : undefined;
  // Answers from before a route is matched (an unparsable address) have no catalogue code; they still need a detail.
  if (message) {
    const locale = localeOf(request.headers['accept-language']);
    const expected = locale === 'en' ? message.title.en : message.title.zh;
    if (problem.title !== expected) return `the problem's title "${String(problem.title)}" is not the ${locale} one, "${expected}"`;
  }
  if (answer.statusCode === 429 && !answer.headers['retry-after']) return 'a 429 without Retry-After';
  return undefined;
}

function open311Failure(answer: Answer): string | undefined {
  const type = contentTypeOf(answer);
  if (type.startsWith('text/xml')) return answer.body.includes('<errors>') ? undefined : 'an Open311 XML error without <errors>';
  const errors = parseJson(answer.body);
  const first = Array.isArray(errors) ? (errors[0] as { code?: unknown; description?: unknown } | undefined) : undefined;
  if (!first || first.code !== answer.statusCode || typeof first.description !== 'string' || first.description === '') return `an Open311 ${answer.statusCode} must list {code, description}: ${answer.body.slice(0, 200)}`;
  return undefined;
}

function successFailure(route: FuzzRoute, answer: Answer): string | undefined {
  if (answer.statusCode === 204) return answer.body === '' ? undefined : 'a 204 with a body';
  if (!contentTypeOf(answer).startsWith('application/json')) return undefined;
  const body = parseJson(answer.body);
  if (body === undefined) return 'a 2xx JSON answer that does not parse';
  const validate = validatorFor(route, answer.statusCode);
  if (validate && !validate(body)) return `the answer does not match the declared ${answer.statusCode} schema: ${ajv.errorsText(validate.errors)}`;
  return undefined;
}

/** Why an answer breaks the contract, or undefined when it keeps it. */
export function answerFailure(route: FuzzRoute, request: FuzzRequest, answer: Answer): string | undefined {
  const status = answer.statusCode;
  if (status >= 500) return `answered ${status}: ${answer.body.slice(0, 300)}`;
  if (status >= 200 && status < 300) return successFailure(route, answer);
  // Open311 answers its own error list, except for an address the router refuses before any route runs.
  const open311 = route.path.startsWith('/open311/') && !contentTypeOf(answer).startsWith('application/problem+json');
  if (status >= 400) return open311 ? open311Failure(answer) : problemFailure(request, answer);
  if (status >= 300 && status < 400 && answer.headers.location) return undefined;
  return `an unexpected status ${status}`;
}

/** Tables that change on reads or by design on a rejection: sessions (last seen), failed logins (lockout). */
const changingTables = new Set(['sessions']);

const tableNames = new WeakMap<ConvoyDb, string[]>();
async function tablesOf(db: ConvoyDb): Promise<string[]> {
  let names = tableNames.get(db);
  if (!names) {
    names = (await db.introspection.getTables({ withInternalKyselyTables: true })).map((t) => t.name).filter((name) => !changingTables.has(name)).sort();
    tableNames.set(db, names);
  }
  return names;
}

export type Fingerprint = Record<string, { rows: number; sha256?: string }>;

/**
 * What a rejected request must leave as it found: the row count of every table (one query), and, when
 * `deep`, a checksum of every table's content, which also sees an UPDATE that should not have happened.
 */
export async function fingerprint(db: ConvoyDb, deep: boolean): Promise<Fingerprint> {
  if (deep) {
    const all = await tableChecksums(db);
    return Object.fromEntries(Object.entries(all).filter(([table]) => !changingTables.has(table)));
  }
  const tables = await tablesOf(db);
  // Columns named by position: the camel-case plugin would rename snake_case table names in the result.
  const counts = sql.join(tables.map((table, i) => sql`(select count(*) from ${sql.table(table)}) as ${sql.ref(`n${i}`)}`));
  const row = (await sql<Record<string, number | string>>`select ${counts}`.execute(db)).rows[0] ?? {};
  return Object.fromEntries(tables.map((table, i) => [table, { rows: Number(row[`n${i}`]) }]));
}

/** The tables whose rows (or, when both fingerprints have it, content) differ. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => {
    const [b, a] = [before[name], after[name]];
    return b?.rows !== a?.rows || (b?.sha256 !== undefined && a?.sha256 !== undefined && b.sha256 !== a.sha256);
  });
}
