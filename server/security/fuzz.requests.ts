// The routes to fuzz and the requests to send them. Every registered route is taken from the running
// app (printRoutes), and described by the OpenAPI document when it is documented there, so a route added
// tomorrow is fuzzed without anyone writing a line here. Hidden routes (Open311, health, docs) get the
// parameter names they are known to read and hostile values for all of them.
import fc from 'fast-check';
import { bodyValue, hostileText, hostileValue, type JsonSchema, namedValue, rawJsonText, schemaValue, type ValueContext } from './fuzz.values.js';

export type Caller = 'admin' | 'worker' | 'anonymous';

export type Parameter = { name: string; in: 'path' | 'query' | 'header'; required: boolean; schema: JsonSchema };

export type FuzzRoute = {
  method: string;
  /** OpenAPI form: /api/v1/appeals/{id} */
  path: string;
  documented: boolean;
  parameters: Parameter[];
  body: JsonSchema | undefined;
  /** Declared response schemas by status code, for JSON answers. */
  responses: Record<string, JsonSchema | undefined>;
};

export type FuzzRequest = {
  caller: Caller;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
};

type Operation = {
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
};
export type OpenApiDocument = { paths: Record<string, Record<string, Operation>> };

const toOpenApiPath = (fastifyPath: string) => fastifyPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

/**
 * Method and path of every route in Fastify's printRoutes tree. Each line is a segment under its parent
 * (four columns of indentation per level), with the methods of the route ending there in parentheses.
 */
export function registeredRoutes(tree: string): { method: string; path: string }[] {
  const stack: string[] = [];
  const routes: { method: string; path: string }[] = [];
  for (const line of tree.split('\n')) {
    const marker = line.indexOf('── ');
    if (marker < 0) continue;
    const depth = Math.round((marker - 1) / 4);
    const match = /^(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line.slice(marker + 3));
    if (!match) continue;
    stack.length = depth;
    stack.push(match[1] ?? '');
    for (const method of (match[2] ?? '').split(',').map((m) => m.trim()).filter(Boolean)) {
      routes.push({ method, path: toOpenApiPath(stack.join('')) });
    }
  }
  return routes;
}

const text: JsonSchema = { type: 'string' };
// Hidden routes read these parameters (Open311 GeoReport v2 and the docs' static files).
const hiddenParameters: Record<string, Parameter[]> = {
  '/open311/v2/requests.{format}': ['service_request_id', 'service_code', 'start_date', 'end_date', 'status', 'jurisdiction_id', 'api_key', 'lat', 'long', 'address_string', 'description', 'phone', 'first_name', 'attribute[platform]', 'attribute[city]'].map((name) => ({ name, in: 'query', required: false, schema: text })),
};
const formatValues: JsonSchema = { type: 'string', enum: ['json', 'xml', 'html', 'JSON', ''] };

/** The routes to fuzz: every registered one except HEAD (it is GET without a body), described as well as we know it. */
export function fuzzRoutes(tree: string, document: OpenApiDocument): FuzzRoute[] {
  const seen = new Set<string>();
  const routes: FuzzRoute[] = [];
  for (const { method, path } of registeredRoutes(tree)) {
    if (method === 'HEAD' || seen.has(`${method} ${path}`)) continue;
    seen.add(`${method} ${path}`);
    const operation = document.paths[path]?.[method.toLowerCase()];
    const pathNames = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
    const declared: Parameter[] = (operation?.parameters ?? []).map((p) => ({ name: p.name, in: p.in as Parameter['in'], required: p.required ?? false, schema: p.schema ?? text }));
    const hidden = operation ? [] : (hiddenParameters[path] ?? []);
    const pathParameters = pathNames
      .filter((name) => !declared.some((p) => p.in === 'path' && p.name === name))
      .map((name): Parameter => ({ name, in: 'path', required: true, schema: name === 'format' ? formatValues : text }));
    const responses = Object.fromEntries(Object.entries(operation?.responses ?? {}).map(([status, response]) => [status, response.content?.['application/json']?.schema]));
    routes.push({
      method,
      path,
      documented: operation !== undefined,
      parameters: [...declared, ...hidden, ...pathParameters],
      body: operation?.requestBody?.content?.['application/json']?.schema,
      responses,
    });
  }
  return routes;
}

const jsonTypes = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json; charset=utf-16', 'application/merge-patch+json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'];
const uploadTypes = ['image/png', 'image/jpeg', 'image/webp', 'application/octet-stream', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/json', 'text/html', 'image/svg+xml'];
const languages = ['zh-CN', 'zh-CN,zh;q=0.9', 'en', 'en-US,en;q=0.8', 'fr-FR', '*', 'en;q=abc', '', 'x'.repeat(2_000)];

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
const ZIP_MAGIC = Buffer.from('PK\u0003\u0004', 'latin1');

/** Bodies for routes that take a file (photos, imports) or nothing at all. */
const uploadPayload: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  // A real signature in front of garbage: sniffing must look further than the first bytes.
  fc.tuple(fc.constantFrom(PNG_MAGIC, JPEG_MAGIC, ZIP_MAGIC), fc.uint8Array({ maxLength: 64 })).map(([magic, bytes]) => Buffer.concat([magic, Buffer.from(bytes)])),
  fc.array(fc.array(hostileText.map((s) => s.slice(0, 200)), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }).map(
    (rows) => `姓名,手机号,平台,平台工号,城市\n${rows.map((r) => r.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',')).join('\n')}`,
  ),
  fc.constantFrom('', '姓名,手机号\n', '"unterminated,\n', 'name,phone\n王建军,13800000000\n', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
);

// A lone surrogate cannot be percent-encoded (URIError); it travels as the replacement character.
const wellFormed = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
const encode = (s: string) => encodeURIComponent(wellFormed(s));

/** A path segment: encoded, or raw when it tries to climb out of its place. */
function segment(value: unknown): fc.Arbitrary<string> {
  const asText = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return fc.oneof({ weight: 5, arbitrary: fc.constant(encode(asText)) }, fc.constantFrom('..', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '%', '%zz', '%00', '%E4%B8', '.', ';x=1'));
}

function pathValue(parameter: Parameter, context: ValueContext): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: namedValue(parameter.name, parameter.schema, context) }, { weight: 1, arbitrary: hostileValue });
}

function queryPairs(parameters: Parameter[], context: ValueContext): fc.Arbitrary<[string, string][]> {
  const query = parameters.filter((p) => p.in === 'query');
  const asText = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? v.join(',') : (JSON.stringify(v) ?? ''));
  const pair = (p: Parameter) =>
    fc.oneof({ weight: 4, arbitrary: namedValue(p.name, p.schema, context).map(asText) }, { weight: 1, arbitrary: hostileText }).map((v): [string, string] => [p.name, v]);
  const declared = query.map((p) => (p.required ? pair(p).map((x) => [x]) : fc.oneof(fc.constant([]), pair(p).map((x) => [x]))));
  const extras = fc.oneof(
    { weight: 6, arbitrary: fc.constant<[string, string][]>([]) },
    // The same name twice arrives as an array where the schema expects one value.
    ...(query.length > 0 ? [fc.tuple(fc.constantFrom(...query), hostileText).map(([p, v]): [string, string][] => [[p.name, 'x'], [p.name, v]])] : []),
    fc.tuple(fc.constantFrom('unknown', '__proto__', 'constructor', 'a[b]', 'limit[]', ''), hostileText).map(([name, v]): [string, string][] => [[name, v]]),
  );
  return fc.tuple(fc.tuple(...declared), extras).map(([chosen, extra]) => [...chosen.flat(), ...extra]);
}

function encodeQuery(pairs: [string, string][], raw: boolean): string {
  if (pairs.length === 0) return '';
  // Now and then the query is sent as typed, broken percent-escapes and all.
  const parts = pairs.map(([k, v]) => (raw ? `${k}=${v.replace(/[#&\s]/g, '')}` : `${encode(k)}=${encode(v)}`));
  return `?${parts.join('&')}`;
}

/** Only visible ASCII travels in a header; anything else would be refused before the server sees it. */
const headerText = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? '')).replace(/[^\x20-\x7e]/g, '?').slice(0, 8_000);

type Body = { payload?: string | Buffer; contentType?: string };

function bodyPayload(route: FuzzRoute, context: ValueContext): fc.Arbitrary<Body> {
  const schema = route.body;
  if (!schema) {
    return fc.oneof(
      { weight: 2, arbitrary: fc.constant<Body>({}) },
      { weight: 3, arbitrary: fc.tuple(uploadPayload, fc.constantFrom(...uploadTypes)).map(([payload, contentType]) => ({ payload, contentType })) },
    );
  }
  const keys = Object.keys(schema.properties ?? {});
  const asJson = bodyValue(schema, context).map((value) => JSON.stringify(value) ?? 'null');
  const raw = fc
    .tuple(schemaValue(schema, context), keys.length > 0 ? fc.constantFrom(...keys) : fc.constant(undefined), hostileValue)
    .chain(([body, key, value]) => rawJsonText(body, key, value));
  return fc.oneof(
    { weight: 8, arbitrary: fc.tuple(asJson, fc.constant('application/json')).map(([payload, contentType]) => ({ payload, contentType })) },
    { weight: 2, arbitrary: fc.tuple(raw, fc.constant('application/json')).map(([payload, contentType]) => ({ payload, contentType })) },
    { weight: 1, arbitrary: fc.tuple(asJson, fc.constantFrom(...jsonTypes)).map(([payload, contentType]) => ({ payload, contentType })) },
    { weight: 1, arbitrary: fc.constant<Body>({}) },
  );
}

function callers(route: FuzzRoute): fc.Arbitrary<Caller> {
  // A worker's own routes mostly as the worker; everything else mostly as the strongest role.
  const own = route.path.includes('/me/') || route.path.endsWith('/me');
  return own
    ? fc.oneof({ weight: 6, arbitrary: fc.constant<Caller>('worker') }, fc.constant<Caller>('admin'), fc.constant<Caller>('anonymous'))
    : fc.oneof({ weight: 6, arbitrary: fc.constant<Caller>('admin') }, fc.constant<Caller>('worker'), fc.constant<Caller>('anonymous'));
}

/** One request to the route: caller, path, query, headers and body, each valid-ish or hostile. */
export function requestFor(route: FuzzRoute, context: ValueContext): fc.Arbitrary<FuzzRequest> {
  const pathParameters = route.parameters.filter((p) => p.in === 'path');
  const pathArbitrary = fc
    .tuple(...pathParameters.map((p) => pathValue(p, context).chain(segment)))
    .map((values) => pathParameters.reduce((path, p, i) => path.replace(`{${p.name}}`, values[i] ?? ''), route.path));
  const headerParameters = route.parameters.filter((p) => p.in === 'header');
  const headerArbitrary = fc.tuple(
    fc.constantFrom(...languages),
    fc.tuple(...headerParameters.map((p) => fc.option(fc.oneof(namedValue(p.name, p.schema, context), hostileValue).map(headerText), { nil: undefined }))),
  );
  return fc
    .record({
      caller: callers(route),
      path: pathArbitrary,
      query: queryPairs(route.parameters, context),
      rawQuery: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      headers: headerArbitrary,
      body: route.method === 'GET' || route.method === 'DELETE' ? fc.constant<Body>({}) : bodyPayload(route, context),
    })
    .map(({ caller, path, query, rawQuery, headers: [language, values], body }) => {
      const headers: Record<string, string> = {};
      if (language) headers['accept-language'] = language;
      headerParameters.forEach((p, i) => {
        const value = values[i];
        if (value !== undefined) headers[p.name] = value;
      });
      if (body.contentType) headers['content-type'] = body.contentType;
      return { caller, method: route.method, url: path + encodeQuery(query, rawQuery), headers, ...(body.payload !== undefined ? { payload: body.payload } : {}) };
    });
}
