import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { buildUnit } from '../org/org.factory.js';

const PASSWORD = 'correct-horse-battery';

describeEachEngine('audit log', (ctx) => {
  let admin: Session;
  let orgAdmin: Session;

  beforeAll(async () => {
    const unit = await buildUnit(ctx.db, { name: '广东省新就业群体行业党委' });
    await ctx.createUser({ username: 'admin', password: PASSWORD, displayName: '管理员', grants: [{ role: 'system_admin', unitId: null }] });
    await ctx.createUser({ username: 'guangdong', password: PASSWORD, displayName: '广东', grants: [{ role: 'org_admin', unitId: unit.id }] });
    admin = await ctx.login('admin', PASSWORD);
    orgAdmin = await ctx.login('guangdong', PASSWORD);
    for (const name of ['深圳市新就业群体行业党委', '广州市新就业群体行业党委', '东莞市新就业群体行业党委']) {
      const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/org-units', headers: orgAdmin.headers, payload: { parentId: unit.id, name, kind: 'industry_committee' } });
      expect(response.statusCode).toBe(201);
    }
  });

  it('lets a system admin browse and filter the log, newest first, page by page', async () => {
    const first = await ctx.app.inject({ method: 'GET', url: '/api/v1/audit?action=org_unit.create&limit=2', headers: admin.headers });
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.items).toHaveLength(2);
    expect(page.items[0]).toMatchObject({ username: 'guangdong', action: 'org_unit.create', entityType: 'org_unit', detail: { name: '东莞市新就业群体行业党委' } });
    expect(page.items[0].id).toBeGreaterThan(page.items[1].id);
    const second = (await ctx.app.inject({ method: 'GET', url: `/api/v1/audit?action=org_unit.create&limit=2&cursor=${page.nextCursor}`, headers: admin.headers })).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const logins = (await ctx.app.inject({ method: 'GET', url: '/api/v1/audit?action=auth.login&username=guangdong', headers: admin.headers })).json();
    expect(logins.items.length).toBeGreaterThanOrEqual(1);
  });

  it('is for system admins only', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/v1/audit', headers: orgAdmin.headers });
    expect(response.statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/audit' })).statusCode).toBe(401);
  });

  it('cannot be changed or deleted, even by direct SQL', async () => {
    await expect(sql`update audit_log set action = 'forged'`.execute(ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(ctx.db)).rejects.toThrow(/append-only/);
    const count = await ctx.db.selectFrom('auditLog').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBeGreaterThan(0);
  });
});
