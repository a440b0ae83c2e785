// Values for fuzzing the API: arbitraries derived from a route's JSON schema (valid-ish values that sit
// on the edges the schema names) and hostile values that no schema should let through to a crash.
import fc from 'fast-check';

/** The instant values lean around, and real values of the seeded world by field name (ids, codes, tokens). */
export type ValueContext = { now: number; hints: Readonly<Record<string, readonly unknown[]>> };

/** The part of JSON Schema (2020-12, as the OpenAPI document carries it) that the arbitraries read. */
export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
};

// Seeded worlds number their rows from 1, so small ids hit existing records most of the time.
const EXISTING_ID_MAX = 40;
// Strings longer than this are drawn only as explicit edges (maxLength, maxLength + 1), not at random.
const RANDOM_STRING_MAX = 24;

const repeatTo = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/** Text that is valid for a length-limited string but exercises scripts, emoji and normalization. */
const humanText = fc.oneof(
  fc.string({ maxLength: RANDOM_STRING_MAX }),
  fc.string({ maxLength: RANDOM_STRING_MAX, unit: 'grapheme' }),
  fc.constantFrom('王建军', '李秀英', 'Zoë Ångström', 'Ахмед', 'محمد', '김민준', '👨‍👩‍👧‍👦 司机之家 🚗', 'é'.normalize('NFD'), 'ｆｕｌｌｗｉｄｔｈ１２３', '成都市武侯区天府大道北段1700号'),
);

export const sqlPayloads = [
  "' OR '1'='1",
  "1; DROP TABLE users; --",
  "' UNION SELECT password_hash FROM users --",
  '%',
  '_',
  '%_%\\',
  "\\'; select pg_sleep(0); --",
  'NULL',
  '1) OR (1=1',
];

export const htmlPayloads = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg/onload=alert(1)>',
  'javascript:alert(1)',
  '{{constructor.constructor("return 1")()}}',
  '${7*7}',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
];

export const controlStrings = ['\u0000', 'a\u0000b', '\u0007\b\f\v\u001b[31m', '\r\n\r\n', '\u202eevil', '\ufeff', '\ud800', '\udfff\ud800', '\u2028\u2029', '\t'];

export const badDates = [
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '2026-11-25T25:00:00Z',
  '2026-11-25T10:00:00+25:00',
  '2026-11-25T10:00:00 Asia/Shanghai',
  '2026-11-25T10:00:00[Asia/Shanghai]',
  '2026-11-25T10:00:00+08:00[Europe/Nowhere]',
  '-271821-04-20T00:00:00Z',
  '+275760-09-13T00:00:00.001Z',
  '9999-12-31T23:59:59.999Z',
  '1900-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '2026-12-31T23:59:60Z',
  '2026-11-25T24:00:00Z',
  '2026-11-25T10:00:00.1234567890123Z',
  '2026-11-25T10:00:00-00:00',
  '2026-W48',
  '2026-11',
  'yesterday',
  '2026/11/25',
  '25.11.2026',
  '20261125',
  '1764036000',
];

export const numberEdges = [0, -0, -1, 1, 0.5, -0.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 - 1, 2 ** 53 + 2, -(2 ** 53) - 2, 1e21, 1e308, -1e308, 5e-324, Number.MAX_VALUE];

export const numericStrings = ['1e309', '-1e309', '0x10', '0b1', '1_000', ' 1', '1 ', '１２３', '-0', '00001', '9'.repeat(400), '1.5', 'NaN', 'Infinity', '+1', '1e3', '١٢٣'];

/** Cursors: not base64, base64 of non-JSON, and well-formed JSON keys of the wrong types and lengths. */
export const badCursors = [
  '!!!',
  '%%%',
  'AAAA',
  Buffer.from('not json').toString('base64url'),
  ...[
    [],
    [null],
    ['x'],
    [1.5],
    [-1],
    [1e308],
    ['2026-13-45', 'abc'],
    ['abc', 'def'],
    [1, 'x'],
    ['x', 1],
    [null, null],
    ['zz', null, 7],
    [1, 2, 3, 4],
    ['\u0000', 1],
    [{ a: 1 }],
    [[1]],
    ["' OR 1=1 --", 1],
    ['9'.repeat(30), 1],
    [2 ** 53 + 2, 2 ** 53 + 2],
  ].map((key) => Buffer.from(JSON.stringify(key)).toString('base64url')),
];

const longStrings = fc.constantFrom(repeatTo('x', 5_000), repeatTo('字', 20_000), repeatTo('👨‍👩‍👧‍👦', 3_000), repeatTo('a\u0301', 4_000), repeatTo('<', 100_000));

/** A JSON value nested `depth` levels deep, written as text (a parser meets it before any schema does). */
export const deepJson = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}1${close.repeat(depth)}`;

function prototypePolluter(): unknown {
  return JSON.parse('{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}}') as unknown;
}

/** Any value of the wrong kind for most fields, or the right kind at a dangerous extreme. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('', ' ', '   \t  ', ...sqlPayloads, ...htmlPayloads, ...controlStrings, ...badDates, ...numericStrings),
  longStrings,
  fc.constantFrom(...numberEdges),
  fc.constantFrom(true, false, null, [], {}, [1, 2], { $gt: '' }, ['a', null], { id: 1 }),
  fc.constant(null).map(prototypePolluter),
  fc.integer({ min: 2, max: 60 }).map((depth) => JSON.parse(deepJson(depth)) as unknown),
  fc.constantFrom(...badCursors),
);

/** A hostile value written the way it travels in a URL: text. */
export const hostileText: fc.Arbitrary<string> = hostileValue.map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? ''));

const isoAround = (center: number, spreadDays: number) =>
  fc.integer({ min: -spreadDays * 24 * 60, max: spreadDays * 24 * 60 }).map((minutes) => new Date(center + minutes * 60_000).toISOString());

function integerArbitrary(schema: JsonSchema): fc.Arbitrary<number> {
  const min = Math.max(schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -(2 ** 31)), Number.MIN_SAFE_INTEGER);
  const max = Math.min(schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 2 ** 31), Number.MAX_SAFE_INTEGER);
  const edges = [min, max, min - 1, max + 1].filter((n) => Number.isSafeInteger(n));
  const small = fc.integer({ min: Math.max(min, Math.min(1, max)), max: Math.min(max, Math.max(min, EXISTING_ID_MAX)) });
  return fc.oneof({ weight: 4, arbitrary: small }, { weight: 1, arbitrary: fc.integer({ min, max }) }, { weight: 1, arbitrary: fc.constantFrom(...edges) });
}

function numberArbitrary(schema: JsonSchema): fc.Arbitrary<number> {
  const min = schema.minimum ?? schema.exclusiveMinimum ?? -1e6;
  const max = schema.maximum ?? schema.exclusiveMaximum ?? 1e6;
  const inside = fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  const steps = schema.multipleOf ? fc.integer({ min: Math.ceil(min / schema.multipleOf), max: Math.floor(max / schema.multipleOf) }).map((n) => n * schema.multipleOf!) : inside;
  return fc.oneof(steps, inside, fc.constantFrom(min, max, min - 1e-9, max + 1e-9, 0));
}

function stringArbitrary(schema: JsonSchema, { now }: ValueContext): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength;
  const edges: string[] = [repeatTo('长', min), ...(max !== undefined ? [repeatTo('长', max), repeatTo('x', max + 1)] : []), ...(min > 0 ? [repeatTo('x', min - 1)] : [])];
  if (schema.format === 'date-time') return fc.oneof({ weight: 4, arbitrary: isoAround(now, 120) }, fc.constantFrom(...badDates));
  if (schema.format === 'date') return fc.oneof({ weight: 4, arbitrary: isoAround(now, 400).map((iso) => iso.slice(0, 10)) }, fc.constantFrom(...badDates));
  if (schema.pattern) {
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(schema.pattern);
    } catch {
      pattern = undefined;
    }
    if (pattern) return fc.oneof({ weight: 4, arbitrary: fc.stringMatching(pattern) }, humanText, fc.constantFrom(...edges));
  }
  const random = humanText.filter((s) => s.length >= min && (max === undefined || s.length <= max));
  return fc.oneof({ weight: 4, arbitrary: random }, { weight: 1, arbitrary: fc.constantFrom(...edges) });
}

/**
 * Values that the schema mostly accepts, leaning on its edges (bounds, lengths, enums, formats). Other
 * layers turn some of them into rejections (an id that does not exist, a date in the past): that is the point.
 */
export function schemaValue(schema: JsonSchema, context: ValueContext, depth = 0): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0) return fc.oneof(...alternatives.map((s) => schemaValue(s, context, depth + 1)));
  if (schema.allOf && schema.allOf.length > 0) return schemaValue(Object.assign({}, ...schema.allOf) as JsonSchema, context, depth + 1);
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => schemaValue({ ...schema, type }, context, depth + 1)));
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return integerArbitrary(schema);
    case 'number':
      return numberArbitrary(schema);
    case 'string':
      return stringArbitrary(schema, context);
    case 'array': {
      const item = depth > 6 ? fc.constant(null) : schemaValue(schema.items ?? {}, context, depth + 1);
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 6, 6));
      const atLimit = schema.maxItems !== undefined ? [fc.array(item, { minLength: schema.maxItems + 1, maxLength: schema.maxItems + 1 })] : [];
      return fc.oneof({ weight: 4, arbitrary: fc.array(item, { minLength, maxLength }) }, ...atLimit);
    }
    case 'object':
      return objectValue(schema, context, depth);
  }
  // No type: anything JSON can carry.
  return depth > 4 ? fc.constant(null) : fc.jsonValue({ maxDepth: 2 });
}

function objectValue(schema: JsonSchema, context: ValueContext, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  if (depth > 6 || Object.keys(properties).length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 });
  const model = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, namedValue(name, property, context, depth + 1)]));
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter((name) => name in properties) });
}

/** A field's value: often a real one from the seeded world when the world knows the name, else from the schema. */
export function namedValue(name: string, schema: JsonSchema, context: ValueContext, depth = 0): fc.Arbitrary<unknown> {
  const generated = schemaValue(schema, context, depth);
  const known = context.hints[name];
  return known && known.length > 0 ? fc.oneof({ weight: 1, arbitrary: generated }, { weight: 1, arbitrary: fc.constantFrom(...known) }) : generated;
}

/**
 * A JSON body for the schema: as generated, or with one field made hostile, a required field left out, an
 * unknown field added, or the whole body of the wrong kind.
 */
export function bodyValue(schema: JsonSchema, context: ValueContext): fc.Arbitrary<unknown> {
  const valid = schemaValue(schema, context);
  const keys = Object.keys(schema.properties ?? {});
  if (schema.type !== 'object' || keys.length === 0) return fc.oneof({ weight: 3, arbitrary: valid }, hostileValue);
  const asObject = valid.map((v) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}));
  const key = fc.constantFrom(...keys);
  return fc.oneof(
    { weight: 4, arbitrary: asObject },
    { weight: 3, arbitrary: fc.tuple(asObject, key, hostileValue).map(([body, name, value]) => ({ ...body, [name]: value })) },
    { weight: 1, arbitrary: fc.tuple(asObject, key).map(([body, name]) => Object.fromEntries(Object.entries(body).filter(([k]) => k !== name))) },
    { weight: 1, arbitrary: fc.tuple(asObject, fc.constantFrom('unknownField', '__proto__', 'constructor', 'id', 'createdBy', 'unitPath', '')).map(([body, name]) => ({ ...body, [name]: 1 })) },
    { weight: 1, arbitrary: hostileValue },
  );
}

/**
 * Request bodies as text, for what a JSON value cannot express: the same key twice (the last one wins in
 * JSON.parse, so a validated first copy must not smuggle the second), deep nesting, broken JSON.
 */
export function rawJsonText(body: unknown, duplicateKey: string | undefined, duplicateValue: unknown): fc.Arbitrary<string> {
  const text = JSON.stringify(body) ?? 'null';
  const duplicated =
    duplicateKey !== undefined && text.startsWith('{') && text.length > 2
      ? `${text.slice(0, -1)},${JSON.stringify(duplicateKey)}:${JSON.stringify(duplicateValue) ?? 'null'}}`
      : `{"a":1,"a":${JSON.stringify(duplicateValue) ?? 'null'}}`;
  return fc.constantFrom(
    duplicated,
    deepJson(10_000),
    deepJson(2_000, '{"a":', '}'),
    text.slice(0, Math.max(1, Math.floor(text.length / 2))),
    `\ufeff${text}`,
    `${text}garbage`,
    `${text}${text}`,
    'NaN',
    "{'a':1}",
    '{"a":1,}',
    '',
    ' ',
    'null',
    '"just a string"',
    '1e999999',
    '[' + '1,'.repeat(50_000) + '1]',
  );
}
