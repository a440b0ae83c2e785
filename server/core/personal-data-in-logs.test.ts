import { beforeAll, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { fixedClock } from './clock.js';
import { describeEachEngine } from '../test/harness.js';
import { buildAppealWorld } from '../modules/appeals/appeals.factory.js';

// The same requests as the suites make, through an app that logs at debug level into memory; then the
// log is searched for the personal data those requests carried.
describeEachEngine('no personal data in logs', (ctx) => {
  const lines: string[] = [];
  let logged: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    await buildAppealWorld(ctx);
    const config = loadConfig({ CONVOY_SECRET: 'x'.repeat(40), DATABASE_URL: ctx.url, LOG_LEVEL: 'debug' });
    logged = await buildApp({ db: ctx.db, engine: ctx.engine, config, clock: fixedClock(ctx.clock.now()) }, { webRoot: '/nonexistent', logStream: { write: (line) => void lines.push(line) } });
    return () => logged.close();
  });

  it('logs requests that carry names, phones, ID numbers, tracking codes and secrets without any of them', async () => {
    const login = await logged.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'secA', password: 'correct-horse-battery' } });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const headers = { cookie, 'x-csrf-token': login.json().csrfToken };
    const phone = '13912345678';
    const idCard = '110101199003074513';
    await logged.inject({ method: 'GET', url: `/api/v1/workers?q=${encodeURIComponent('王建军')}`, headers });
    await logged.inject({ method: 'GET', url: `/api/v1/workers?q=5678`, headers });
    await logged.inject({ method: 'POST', url: '/api/v1/members', headers, payload: { name: '赵日志', phone, idCard, gender: 'x' } });
    const anonymous = await logged.inject({ method: 'POST', url: '/api/v1/appeals', remoteAddress: '10.66.77.88', payload: { category: 'safety', description: '匿名：夜里遇到醉酒乘客骚扰，日志测试', anonymous: true, platformId: 1, cityCode: '510100' } });
    expect(anonymous.statusCode, anonymous.body).toBe(201);
    const { trackingCode, secret } = anonymous.json();
    await logged.inject({ method: 'GET', url: `/api/v1/appeals/track/${trackingCode}?secret=${secret}` });
    const text = lines.join('');
    expect(text.length).toBeGreaterThan(0);
    expect(text).toContain('/api/v1/workers?q=…');
    for (const personal of ['王建军', '5678', phone, idCard, '赵日志', trackingCode, secret, '10.66.77.88', '醉酒乘客', 'convoy_session=']) {
      expect(text, `log contains ${personal}`).not.toContain(personal);
    }
  });
});
