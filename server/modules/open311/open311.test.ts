import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import type { Insertable, Kysely } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import type { AppealsTable } from '../../db/tables-appeals.js';
import type { Database, OrgUnit } from '../../db/tables.js';
import { describeEachEngine, TEST_NOW } from '../../test/harness.js';
import { appealCategories } from '../appeals/appeals.schema.js';
import { buildTwoProvinces } from '../org/org.factory.js';

// The published GeoReport v2 schemas (copied beside this file, see schemas/README.md), draft-04 style.
const schemaDir = resolve(import.meta.dirname, 'schemas');
const loadSchema = (name: string): object => JSON.parse(readFileSync(resolve(schemaDir, name), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema(loadSchema('request.json'), 'request.json');
ajv.addSchema(loadSchema('service.json'), 'service.json');
const validators = {
  requests: ajv.compile(loadSchema('requests.json')),
  services: ajv.compile(loadSchema('services.json')),
  definition: ajv.compile(loadSchema('service-definition.json')),
};
function expectValid(kind: keyof typeof validators, document: unknown) {
  const validate = validators[kind];
  expect(validate(document), ajv.errorsText(validate.errors)).toBe(true);
}

// Lists that hold one element or none must still parse as lists.
const xml = new XMLParser({ parseTagValue: false, isArray: (name) => ['request', 'service', 'attribute', 'value', 'error'].includes(name) });
const ITEM_TAGS: Record<string, string> = { attributes: 'attribute', values: 'value' };

/** The JSON document as its XML form reads back: every value text, null and [] empty, lists wrapped. */
function asXmlReads(value: unknown): unknown {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map(asXmlReads);
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (Array.isArray(v) && ITEM_TAGS[k]) return [k, v.length === 0 ? '' : { [ITEM_TAGS[k]]: v.map(asXmlReads) }];
        return [k, asXmlReads(v)];
      }),
    );
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

// Planted in every private field: it must never appear in anything Open311 answers.
const MARKER = 'PRIVATE-MARKER-7731';
const PHONE = '13912345678';
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.parse(TEST_NOW) - n * DAY).toISOString();

async function insertAppeal(db: Kysely<Database>, unit: OrgUnit, platformId: number, overrides: Partial<Insertable<AppealsTable>> = {}) {
  const at = overrides.createdAt ?? daysAgo(1);
  const row = await db
    .insertInto('appeals')
    .values({
      category: 'income_fees',
      description: `平台扣费不合理 ${MARKER} 联系我 ${PHONE}`,
      platformId,
      cityCode: '510100',
      lat: 30.657234,
      lng: 104.065789,
      address: `锦江区春熙路 ${MARKER} 3 号`,
      contactPreference: 'phone',
      anonymous: 0,
      workerId: null,
      trackingCode: null,
      secretHash: null,
      channel: 'phone',
      recordedBy: null,
      contactId: null,
      contactName: `王${MARKER}`,
      contactPhoneEnc: null,
      status: 'acknowledged',
      level: 'branch',
      unitId: unit.id,
      unitPath: unit.path,
      originUnitId: unit.id,
      originUnitPath: unit.path,
      assigneeUserId: null,
      receivedAt: at,
      acknowledgedAt: null,
      lastPublicReplyAt: null,
      answeredAt: null,
      closedAt: null,
      acknowledgeBy: null,
      nextUpdateBy: null,
      resolveBy: null,
      dueAt: null,
      delayReason: MARKER,
      referredTo: null,
      rejectReason: null,
      mergedIntoId: null,
      rating: null,
      feedback: MARKER,
      createdAt: at,
      updatedAt: at,
      ...overrides,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('appealEvents')
    .values({ appealId: row.id, kind: 'note', fromStatus: null, toStatus: null, visibility: 'internal', body: MARKER, unitId: unit.id, level: 'branch', actorUserId: null, createdAt: at })
    .execute();
  return row.id;
}

describeEachEngine('Open311 GeoReport v2', (ctx) => {
  let world: Awaited<ReturnType<typeof buildTwoProvinces>>;
  const ids = { open: 0, rejected: 0, referred: 0, resolved: 0, anonymous: 0, old: 0 };
  let apiKey = '';
  let cookieToken = '';
  const bodies: string[] = [];

  const get = async (url: string, locale?: string) => {
    const response = await ctx.app.inject({ method: 'GET', url, headers: locale ? { 'accept-language': locale } : {} });
    bodies.push(response.body);
    return response;
  };
  const post = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    ctx.app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  const idsOf = (body: { service_request_id: string }[]) => body.map((r) => Number(r.service_request_id)).sort((a, b) => a - b);

  beforeAll(async () => {
    world = await buildTwoProvinces(ctx.db);
    const unit = world.branchA;
    const p = world.platform.id;
    ids.open = await insertAppeal(ctx.db, unit, p, { resolveBy: '2026-11-27T02:00:00.000Z' });
    ids.rejected = await insertAppeal(ctx.db, unit, p, { category: 'safety', status: 'rejected', rejectReason: '不属于受理范围 <&>"\'', createdAt: daysAgo(2), updatedAt: daysAgo(1) });
    ids.referred = await insertAppeal(ctx.db, world.committee, p, { status: 'referred', referredTo: '成都市人社局劳动监察支队', createdAt: daysAgo(3) });
    ids.resolved = await insertAppeal(ctx.db, unit, p, { status: 'resolved', createdAt: daysAgo(4) });
    ids.anonymous = await insertAppeal(ctx.db, unit, p, { anonymous: 1, contactName: null, trackingCode: 'ABCD-EFGH', createdAt: daysAgo(1) });
    ids.old = await insertAppeal(ctx.db, unit, p, { createdAt: daysAgo(120) });
    await ctx.createUser({ username: 'hotline', password: 'correct-horse-battery', displayName: '热线', grants: [{ role: 'branch_secretary', unitId: world.branchA.id }] });
    apiKey = (await ctx.bearer('hotline', 'correct-horse-battery')).authorization.slice('Bearer '.length);
    const session = await ctx.login('hotline', 'correct-horse-battery');
    cookieToken = /convoy_session=([^;]+)/.exec(session.cookie)?.[1] ?? '';
  });

  it('lists every category as a service, valid against services.json, in Chinese by default and in English on request', async () => {
    const response = await get('/open311/v2/services.json');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const services = response.json();
    expectValid('services', services);
    expect(services.map((s: { service_code: string }) => s.service_code)).toEqual([...appealCategories]);
    expect(services[0]).toMatchObject({ service_code: 'income_fees', service_name: '收入与抽成', metadata: true, type: 'realtime' });
    const english = (await get('/open311/v2/services.json', 'en')).json();
    expect(english[0].service_name).toBe('Income and fees');

    const asXml = await get('/open311/v2/services.xml');
    expect(asXml.headers['content-type']).toMatch(/^text\/xml/);
    expect(xml.parse(asXml.body).services.service).toEqual(asXmlReads(services));
  });

  it('defines each service with the required platform and city attributes', async () => {
    const response = await get('/open311/v2/services/safety.json');
    expect(response.statusCode).toBe(200);
    const definition = response.json();
    expectValid('definition', definition);
    expect(definition.service_code).toBe('safety');
    expect(definition.attributes).toMatchObject([
      { code: 'platform', datatype: 'singlevaluelist', required: true, values: [{ key: world.platform.code, name: world.platform.name }] },
      { code: 'city', datatype: 'string', required: true },
    ]);
    const asXml = await get('/open311/v2/services/safety.xml');
    expect(xml.parse(asXml.body).service_definition).toEqual(asXmlReads(definition));

    const unknown = await get('/open311/v2/services/parking_tickets.json', 'en');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual([{ code: 404, description: 'Not found' }]);
  });

  it('lists the last 90 days of non-anonymous requests, mapping statuses to open/closed with Convoy’s state in status_notes', async () => {
    const response = await get('/open311/v2/requests.json');
    expect(response.statusCode).toBe(200);
    const requests = response.json();
    expectValid('requests', requests);
    expect(idsOf(requests)).toEqual([ids.open, ids.rejected, ids.referred, ids.resolved]);
    const byId = new Map(requests.map((r: { service_request_id: string }) => [Number(r.service_request_id), r]));
    expect(byId.get(ids.open)).toEqual({
      service_request_id: String(ids.open),
      status: 'open',
      status_notes: `已受理 · ${world.branchA.name}`,
      service_name: '收入与抽成',
      service_code: 'income_fees',
      description: null,
      agency_responsible: world.branchA.name,
      service_notice: null,
      requested_datetime: daysAgo(1),
      updated_datetime: daysAgo(1),
      expected_datetime: '2026-11-27T02:00:00.000Z',
      address: '四川省成都市',
      address_id: null,
      zipcode: null,
      lat: 30.657,
      long: 104.066,
      media_url: null,
    });
    expect(byId.get(ids.rejected)).toMatchObject({ status: 'closed', status_notes: `不予受理 · ${world.branchA.name} · 理由：不属于受理范围 <&>"'` });
    expect(byId.get(ids.referred)).toMatchObject({ status: 'open', agency_responsible: world.committee.name, status_notes: expect.stringContaining('成都市人社局劳动监察支队') });
    expect(byId.get(ids.resolved)).toMatchObject({ status: 'closed' });

    const english = (await get(`/open311/v2/requests.json?service_request_id=${ids.rejected}`, 'en')).json();
    expect(english[0]).toMatchObject({ service_name: 'Safety', address: 'Chengdu, Sichuan', status_notes: `Rejected · ${world.branchA.name} · Reason: 不属于受理范围 <&>"'` });

    // The XML form carries the same content, escaping included.
    const asXml = await get('/open311/v2/requests.xml');
    expect(asXml.body).toContain('&lt;&amp;&gt;&quot;&apos;');
    expect(xml.parse(asXml.body).service_requests.request).toEqual(asXmlReads(requests));
  });

  it('filters by service_code, status, dates and service_request_id as the spec says', async () => {
    const list = async (query: string) => {
      const response = await get(`/open311/v2/requests.json?${query}`);
      expect(response.statusCode, response.body).toBe(200);
      expectValid('requests', response.json());
      return idsOf(response.json());
    };
    expect(await list('service_code=safety')).toEqual([ids.rejected]);
    expect(await list('status=closed')).toEqual([ids.rejected, ids.resolved]);
    expect(await list('status=open')).toEqual([ids.open, ids.referred]);
    expect(await list('status=open,closed')).toEqual([ids.open, ids.rejected, ids.referred, ids.resolved]);
    expect(await list(`start_date=${daysAgo(2.5)}&end_date=${daysAgo(1.5)}`)).toEqual([ids.rejected]);
    expect(await list(`start_date=${daysAgo(150)}&end_date=${encodeURIComponent('2026-08-10T00:00:00+08:00')}`)).toEqual([ids.old]);
    // A list of ids overrides every other filter, but never reaches an anonymous appeal.
    expect(await list(`service_request_id=${ids.open},${ids.anonymous},${ids.old}&service_code=safety`)).toEqual([ids.open, ids.old]);
  });

  it('refuses bad dates with a 400 in the Open311 error format, as JSON and as XML', async () => {
    const bad = await get('/open311/v2/requests.json?start_date=yesterday', 'en');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual([{ code: 400, description: expect.stringContaining('start_date must be an ISO 8601 date-time') }]);
    const badXml = await get('/open311/v2/requests.xml?end_date=2026-13-01T00:00:00Z');
    expect(badXml.statusCode).toBe(400);
    expect(xml.parse(badXml.body).errors.error).toEqual([{ code: '400', description: expect.stringContaining('end_date') }]);
    const backwards = await get(`/open311/v2/requests.json?start_date=${daysAgo(1)}&end_date=${daysAgo(2)}`, 'en');
    expect(backwards.json()).toEqual([{ code: 400, description: 'start_date is after end_date' }]);
    const tooLong = await get(`/open311/v2/requests.json?start_date=${daysAgo(100)}&end_date=${daysAgo(1)}`);
    expect(tooLong.statusCode).toBe(400);
    expect((await get('/open311/v2/requests.json?status=pending')).statusCode).toBe(400);
  });

  it('answers one request by id as a list of one, and an anonymous appeal exactly as a missing one', async () => {
    const response = await get(`/open311/v2/requests/${ids.referred}.json`);
    expect(response.statusCode).toBe(200);
    expectValid('requests', response.json());
    const listed = (await get(`/open311/v2/requests.json?service_request_id=${ids.referred}`)).json();
    expect(response.json()).toEqual(listed);
    const asXml = await get(`/open311/v2/requests/${ids.referred}.xml`);
    expect(xml.parse(asXml.body).service_requests.request).toEqual(asXmlReads(listed));

    const anonymous = await get(`/open311/v2/requests/${ids.anonymous}.json`);
    const missing = await get('/open311/v2/requests/999999.json');
    expect(anonymous.statusCode).toBe(404);
    expect(anonymous.body).toBe(missing.body);
    expect((await get(`/open311/v2/requests/${ids.anonymous}.xml`)).statusCode).toBe(404);
    expect((await get('/open311/v2/requests/abc.json')).statusCode).toBe(404);
    expect((await get('/open311/v2/requests.csv')).statusCode).toBe(404);
  });

  it('files a request with a valid api_key through the appeals module, on the open311 channel', async () => {
    const fields = {
      api_key: apiKey,
      service_code: 'rest_facilities',
      lat: '30.6601',
      long: '104.0702',
      description: '春熙路附近没有可以休息的驿站',
      first_name: '建国',
      last_name: '王',
      phone: PHONE,
      'attribute[platform]': world.platform.code,
      'attribute[city]': '510100',
    };
    const response = await post('/open311/v2/requests.json', fields);
    expect(response.statusCode, response.body).toBe(200);
    const [created] = response.json();
    expect(created).toEqual({ service_request_id: expect.stringMatching(/^\d+$/), service_notice: expect.stringContaining(world.branchA.name), account_id: null });
    const row = await ctx.db.selectFrom('appeals').selectAll().where('id', '=', Number(created.service_request_id)).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ channel: 'open311', category: 'rest_facilities', cityCode: '510100', platformId: world.platform.id, anonymous: 0, contactName: '王建国', unitId: world.branchA.id });

    const published = (await get(`/open311/v2/requests/${created.service_request_id}.json`)).json();
    expect(published[0]).toMatchObject({ status: 'open', service_code: 'rest_facilities', description: null, lat: 30.66, long: 104.07 });
    expect(JSON.stringify(published)).not.toContain('春熙路');

    const asXml = await post('/open311/v2/requests.xml', { ...fields, description: '第二条：驿站晚上不开门' });
    expect(asXml.statusCode, asXml.body).toBe(200);
    expect(xml.parse(asXml.body).service_requests.request[0]).toMatchObject({ service_request_id: expect.stringMatching(/^\d+$/), account_id: '' });
  });

  it('refuses filing without a valid api_key with 403, and a cookie session is not an api_key', async () => {
    const fields = { service_code: 'safety', lat: '30.66', long: '104.07', description: '夜间送餐路段没有路灯', 'attribute[platform]': world.platform.code, 'attribute[city]': '510100' };
    const before = await ctx.db.selectFrom('appeals').select(ctx.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    for (const key of [undefined, 'not-a-key', cookieToken]) {
      const response = await post('/open311/v2/requests.json', key === undefined ? fields : { ...fields, api_key: key }, { 'accept-language': 'en' });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual([{ code: 403, description: 'The api_key is missing or not valid' }]);
    }
    const asXml = await post('/open311/v2/requests.xml', { ...fields, api_key: 'nope' });
    expect(xml.parse(asXml.body).errors.error[0].code).toBe('403');
    const after = await ctx.db.selectFrom('appeals').select(ctx.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('refuses a filing without a location or with an unknown city or platform, naming the Open311 field', async () => {
    const fields = { api_key: apiKey, service_code: 'safety', description: '夜间送餐路段没有路灯', 'attribute[platform]': world.platform.code, 'attribute[city]': '510100' };
    const noPlace = await post('/open311/v2/requests.json', fields, { 'accept-language': 'en' });
    expect(noPlace.json()).toEqual([{ code: 400, description: 'Give a location: lat and long, or address_string' }]);
    const badCity = await post('/open311/v2/requests.json', { ...fields, address_string: '春熙路', 'attribute[city]': '999999' });
    expect(badCity.statusCode).toBe(400);
    const badPlatform = await post('/open311/v2/requests.json', { ...fields, address_string: '春熙路', 'attribute[platform]': 'nope' });
    expect(badPlatform.statusCode).toBe(400);
    expect(badPlatform.json()[0].description).toContain('attribute[platform]');
  });

  // Last: every body any test above received is searched for what must never leave.
  it('never lets the description, address, names, phones, notes or exact coordinates out', () => {
    expect(bodies.length).toBeGreaterThan(20);
    for (const body of bodies) {
      expect(body).not.toContain(MARKER);
      expect(body).not.toContain(PHONE);
      expect(body).not.toContain('春熙路');
      expect(body).not.toContain('30.657234');
      expect(body).not.toContain('ABCD-EFGH');
    }
  });
});
