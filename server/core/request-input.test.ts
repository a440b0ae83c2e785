// Text and dates a client sends are refused the same way on both engines, before any handler runs: a NUL
// or another control character in any string (core/request-validation.ts), a date that is not on the
// calendar or outside years 1900–2999 (core/calendar.schema.ts). SQLite stored such values and PostgreSQL
// failed on them (a 500); now both answer a 400 naming the field, in Chinese and English, and write nothing.
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type Session } from '../test/harness.js';
import { APPEAL_TEST_PASSWORD, type AppealWorld, buildAppealWorld } from '../modules/appeals/appeals.factory.js';
import { stationBody } from '../modules/stations/stations.factory.js';

type Problem = { status: number; code: string; detail: string; errors?: { field: string; message: string }[] };

describeEachEngine('request input: control characters and calendar dates', (ctx) => {
  let w: AppealWorld;
  let admin: Session;
  let address = 0;

  beforeAll(async () => {
    w = await buildAppealWorld(ctx);
    await ctx.createUser({ username: 'admin', password: APPEAL_TEST_PASSWORD, displayName: '系统管理员', grants: [{ role: 'system_admin', unitId: null }] });
    admin = await ctx.login('admin', APPEAL_TEST_PASSWORD);
  });

  const send = (session: Session | null, method: 'GET' | 'POST', url: string, payload?: object | string, headers: Record<string, string> = {}) =>
    ctx.app.inject({
      method,
      url,
      headers: { ...(session?.headers ?? {}), ...(typeof payload === 'string' ? { 'content-type': 'application/json' } : {}), ...headers },
      // Filing is rate-limited per address; each request comes from its own.
      remoteAddress: `10.7.${Math.floor(address / 250) % 250}.${(address++ % 250) + 1}`,
      ...(payload !== undefined ? { payload } : {}),
    });
  const count = async (table: 'appeals' | 'stations' | 'sessions') => Number((await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const expectRefused = (response: Awaited<ReturnType<typeof send>>, field: string) => {
    expect(response.statusCode, response.body).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = response.json<Problem>();
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.field)).toContain(field);
    expect(problem.detail).toContain(field);
    return problem;
  };
  const fee = { category: 'income_fees', contactPreference: 'in_app', anonymous: false } as const;

  it('refuses a NUL anywhere in a JSON body with a 400 naming the field in Chinese and in English, and files nothing', async () => {
    const before = await count('appeals');
    const body = { ...fee, description: '抽成又涨了\u0000，没有通知' };
    const zh = expectRefused(await send(w.sessions.driver, 'POST', '/api/v1/appeals', body), 'body.description');
    expect(zh.errors?.find((e) => e.field === 'body.description')?.message).toBe('含有不允许的空字符（NUL，U+0000）');
    const en = expectRefused(await send(w.sessions.driver, 'POST', '/api/v1/appeals', body, { 'accept-language': 'en' }), 'body.description');
    expect(en.errors?.find((e) => e.field === 'body.description')?.message).toBe('contains a NUL character (U+0000), which is not allowed');
    // An anonymous filing, with an idempotency key, is refused alike and leaves no trace either.
    expectRefused(await send(w.sessions.driver, 'POST', '/api/v1/appeals', { ...body, anonymous: true }, { 'idempotency-key': 'nul-anonymous-1' }), 'body.description');
    expect(await count('appeals')).toBe(before);
  });

  it('finds a NUL deep inside a body, in a key, and in the query string and path, on routes with no text column behind them too', async () => {
    const stations = await count('stations');
    const hours = { ...stationBody().hours, exceptions: [{ from: '2026-12-24', to: '2026-12-25', ranges: [], note: '圣诞\u0000休息' }] };
    expectRefused(await send(admin, 'POST', '/api/v1/stations', stationBody({ unitId: w.branchA.id, hours })), 'body.hours.exceptions.0.note');
    expect(await count('stations')).toBe(stations);
    expectRefused(await send(w.sessions.driver, 'POST', '/api/v1/appeals', { ...fee, description: '一个字段名里有空字符', 'note\u0000': 'x' }), 'body.note\u0000');
    expectRefused(await send(w.sessions.secretaryA, 'GET', '/api/v1/workers?q=%E7%8E%8B%00'), 'querystring.q');
    expectRefused(await send(null, 'GET', '/api/v1/appeals/track/ABCD%00EFGH'), 'params.code');
  });

  it('walks a body nested a hundred thousand levels deep without overflowing, and still finds the NUL at the bottom', async () => {
    const depth = 100_000;
    const payload = `{"description":${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}}`;
    const problem = expectRefused(await send(w.sessions.driver, 'POST', '/api/v1/appeals', payload), 'body.description');
    expect(problem.errors?.some((e) => e.field.startsWith(`body.description.${'0.'.repeat(depth - 1)}0`))).toBe(true);
    expect((await ctx.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('refuses other control characters and unpaired surrogates, each said plainly', async () => {
    const before = await count('sessions');
    const refusals: [string, string][] = [
      ['bell\u0007', 'contains a control character (only tabs and line breaks are allowed)'],
      ['\u001b[31mred', 'contains a control character (only tabs and line breaks are allowed)'],
      ['form\ffeed', 'contains a control character (only tabs and line breaks are allowed)'],
      ['c1\u0085next line', 'contains a control character (only tabs and line breaks are allowed)'],
      ['delete\u007f', 'contains a control character (only tabs and line breaks are allowed)'],
      ['half \ud83d emoji', 'contains invalid Unicode (an unpaired surrogate)'],
      ['\udfff\ud800', 'contains invalid Unicode (an unpaired surrogate)'],
    ];
    for (const [name, message] of refusals) {
      const problem = expectRefused(await send(admin, 'POST', '/api/v1/auth/tokens', { name }, { 'accept-language': 'en' }), 'body.name');
      expect(problem.errors?.find((e) => e.field === 'body.name')?.message, JSON.stringify(name)).toBe(message);
    }
    expect(await count('sessions')).toBe(before);
  });

  it('keeps tabs, line breaks, emoji, bidi marks and every script in free text, stored exactly', async () => {
    const description = '第一行：抽成上涨\r\n第二行：\t没有通知 👨‍👩‍👧‍👦 \u200f محمد Ахмед é'.normalize('NFD');
    const response = await send(w.sessions.driver, 'POST', '/api/v1/appeals', { ...fee, description });
    expect(response.statusCode, response.body).toBe(201);
    const mine = await send(w.sessions.driver, 'GET', `/api/v1/me/appeals/${response.json<{ id: number }>().id}`);
    expect(mine.json<{ description: string }>().description).toBe(description);
  });

  it('refuses station holidays that are not on the calendar, and takes a leap day', async () => {
    const before = await count('stations');
    const withException = (from: string, to: string) => stationBody({ unitId: w.branchA.id, hours: { ...stationBody().hours, exceptions: [{ from, to, ranges: [] }] } });
    for (const [from, to] of [['2026-02-30', '2026-03-01'], ['9999-99-99', '9999-99-99'], ['0000-01-01', '0000-01-02'], ['1899-12-31', '1900-01-01'], ['2026-2-1', '2026-02-01']] as const) {
      expectRefused(await send(admin, 'POST', '/api/v1/stations', withException(from, to)), 'body.hours.exceptions.0.from');
    }
    expectRefused(await send(admin, 'POST', '/api/v1/stations', withException('2027-02-28', '2027-02-29')), 'body.hours.exceptions.0.to');
    expect(await count('stations')).toBe(before);
    const leap = await send(admin, 'POST', '/api/v1/stations', withException('2028-02-29', '2028-02-29'));
    expect(leap.statusCode, leap.body).toBe(201);
  });

  it('refuses a cluster week that is not a calendar date, answering nothing', async () => {
    const before = Number((await ctx.db.selectFrom('appealEvents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    for (const week of ['2026-02-30', '9999-99-99', '0000-01-05', '3000-01-06', '2026-W48']) {
      const body = { unitId: w.committee.id, category: 'income_fees', platformId: w.platform.id, cityCode: '510100', week, body: '统一答复：平台已承诺恢复原抽成比例' };
      expectRefused(await send(w.sessions.committee, 'POST', '/api/v1/appeal-clusters/answer', body), 'body.week');
    }
    expect(Number((await ctx.db.selectFrom('appealEvents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(before);
  });

  it('refuses months, dates and instants outside the calendar or years 1900–2999 in every query that takes one', async () => {
    const unit = w.branchA.id;
    const probes: [Session, string, string][] = [
      [admin, '/api/v1/audit?from=0000-01-01T00:00:00Z', 'querystring.from'],
      [admin, `/api/v1/audit?to=${encodeURIComponent('1900-01-01T00:00:00+08:00')}`, 'querystring.to'],
      [admin, `/api/v1/audit?to=${encodeURIComponent('2999-12-31T23:59:59-14:00')}`, 'querystring.to'],
      [admin, '/api/v1/audit?to=3000-01-01T00:00:00Z', 'querystring.to'],
      [admin, '/api/v1/audit?to=2026-11-25T10:00:00', 'querystring.to'],
      [admin, '/api/v1/appeal-figures?from=0000-06-01T00:00:00Z', 'querystring.from'],
      [admin, `/api/v1/activities/attendance?unitId=${unit}&month=0000-01`, 'querystring.month'],
      [admin, `/api/v1/activities/attendance?unitId=${unit}&month=2026-13`, 'querystring.month'],
      [admin, '/api/v1/stations/visits/summary?month=0000-12', 'querystring.month'],
      [admin, `/api/v1/volunteers/hours?unitId=${unit}&from=0000-01-01`, 'querystring.from'],
      [admin, `/api/v1/volunteers/ledger?unitId=${unit}&to=2026-02-30`, 'querystring.to'],
      [admin, `/api/v1/volunteers/ledger?unitId=${unit}&to=1899-12-31`, 'querystring.to'],
      [admin, '/api/v1/stations/visits/summary?month=3000-01', 'querystring.month'],
    ];
    for (const [session, url, field] of probes) expectRefused(await send(session, 'GET', url), field);
    const open311 = await send(null, 'GET', '/open311/v2/requests.json?start_date=0000-01-01T00:00:00Z');
    expect(open311.statusCode, open311.body).toBe(400);
  });

  it('answers at the edges of the years it keeps, where default windows reach past them, without a 5xx', async () => {
    const unit = w.branchA.id;
    const e = encodeURIComponent;
    // Each of these answered 500 on PostgreSQL (or, for the figures window, never answered) at years 0001 and 9999.
    const edges = [
      '/api/v1/audit?from=1900-01-01T00:00:00Z&to=2999-12-31T23:59:59.999Z',
      '/api/v1/appeal-figures?from=2999-12-01T00:00:00Z&to=2999-12-31T23:59:59Z',
      '/api/v1/appeal-figures?to=1900-01-01T00:00:00Z',
      '/api/v1/stations/visits/summary?month=1900-01',
      '/api/v1/stations/visits/summary?month=2999-12',
      `/api/v1/activities/attendance?unitId=${unit}&month=1900-01`,
      `/api/v1/activities/attendance?unitId=${unit}&month=2999-12`,
      `/api/v1/volunteers/hours?unitId=${unit}&to=1900-01-01`,
      `/api/v1/volunteers/hours?unitId=${unit}&from=2024-02-29&to=2026-11-25`,
      `/api/v1/volunteers/ledger?unitId=${unit}&from=2999-01-01&to=2999-12-31`,
      `/api/v1/activities?unitId=${unit}&from=1900-01-01T00:00:00Z&to=${e('2999-12-31T23:59:59Z')}`,
    ];
    for (const url of edges) {
      const response = await send(admin, 'GET', url);
      expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
    }
    for (const url of ['/open311/v2/requests.json?end_date=1900-01-01T00:00:00Z', '/open311/v2/requests.json?start_date=2999-12-31T00:00:00Z']) {
      const response = await send(null, 'GET', url);
      expect(response.statusCode, `${url}: ${response.body}`).toBeLessThan(500);
    }
  });
});
