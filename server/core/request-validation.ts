// Every route's params, query and body pass through here: zod checks them against the route's schema, and
// every string a client sent (values and object keys, at any depth) is checked for characters that text in
// Convoy never holds. One place, so no route can forget it and both engines agree: PostgreSQL refuses a NUL
// in text (22021, a 500 before) while SQLite stored it.
//
// Refused: the C0 and C1 control characters (Unicode category Cc) except tab, line feed and carriage
// return, which free text (an appeal, a note) legitimately holds; and unpaired UTF-16 surrogates, which
// are no character at all and which both drivers would silently store as U+FFFD. Everything else stays
// allowed: format characters such as zero-width joiners (emoji families) and bidi marks are real text.
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import { validatorCompiler as zodValidatorCompiler } from 'fastify-type-provider-zod';
import type { $ZodType } from 'zod/v4/core';

// eslint-disable-next-line no-control-regex -- these control characters are exactly what is looked for
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The issue kind describeIssue() says in both languages. */
export const FORBIDDEN_CHARACTER_ISSUE = 'forbidden_character';

export type ForbiddenCharacter = 'nul' | 'control' | 'surrogate';

/** What, if anything, makes this text unacceptable. */
export function forbiddenCharacterIn(text: string): ForbiddenCharacter | undefined {
  const control = CONTROL_CHARACTER.exec(text);
  if (control) return control[0] === '\u0000' ? 'nul' : 'control';
  return LONE_SURROGATE.test(text) ? 'surrogate' : undefined;
}

const isWalkable = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  // Parsed JSON and forms are plain objects, the query parser's inherit from a prototype-less one; uploads
  // are Buffers or streams and are not text.
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === null || prototype === Object.prototype || Object.getPrototypeOf(prototype) === null;
};

/**
 * Every string in a request part with a forbidden character, by path. Iterative, not recursive: a body
 * nested a hundred thousand levels deep is within the size limit and must not overflow the stack.
 */
export function forbiddenCharacterIssues(input: unknown): FastifySchemaValidationError[] {
  const issues: FastifySchemaValidationError[] = [];
  // Each object waiting to be walked links to its parent's path instead of copying it: copies would cost the
  // square of the depth. A place is made only for what needs one (an issue, an object to walk), so a clean
  // flat query, what almost every request sends, allocates nothing per key (issue 6).
  type Place = { key: string; parent: Place | undefined } | undefined;
  const pathOf = (place: Place): string[] => {
    const keys: string[] = [];
    for (let at = place; at; at = at.parent) keys.push(at.key);
    return keys.reverse();
  };
  const report = (kind: ForbiddenCharacter, place: Place) => {
    const instancePath = `/${pathOf(place).join('/')}`;
    issues.push({ keyword: FORBIDDEN_CHARACTER_ISSUE, instancePath, schemaPath: `#${instancePath}/${FORBIDDEN_CHARACTER_ISSUE}`, message: `text must not contain ${kind} characters`, params: { character: kind } });
  };
  const pending: { value: Record<string, unknown>; place: Place }[] = [];
  if (typeof input === 'string') {
    const kind = forbiddenCharacterIn(input);
    if (kind) report(kind, undefined);
  } else if (isWalkable(input)) pending.push({ value: input, place: undefined });
  while (pending.length > 0) {
    const { value, place } = pending.pop()!;
    for (const key of Object.keys(value)) {
      const child = value[key];
      const inKey = forbiddenCharacterIn(key);
      const inText = typeof child === 'string' ? forbiddenCharacterIn(child) : undefined;
      const walkable = isWalkable(child);
      if (!inKey && !inText && !walkable) continue;
      const at = { key, parent: place };
      if (inKey) report(inKey, at);
      if (inText) report(inText, at);
      if (walkable) pending.push({ value: child, place: at });
    }
  }
  return issues;
}

/**
 * The route validator: the zod provider's own, then the character check on what the client sent (before
 * any transform, so a field that is trimmed or coerced is checked too). Issues of both kinds come back
 * together, in the shape the problem handler already turns into a bilingual 400 naming each field.
 */
export const requestValidatorCompiler: FastifySchemaCompiler<$ZodType> = (route) => {
  const validate = zodValidatorCompiler(route);
  return (data: unknown) => {
    const characters = forbiddenCharacterIssues(data);
    // The zod provider's validator is synchronous and answers { value } or { error: issues }.
    const result = validate(data) as { value?: unknown; error?: FastifySchemaValidationError[] };
    if (characters.length === 0) return result;
    return { error: [...(result.error ?? []), ...characters] };
  };
};
