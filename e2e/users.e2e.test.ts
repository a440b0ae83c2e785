// Users and roles, in Chinese: the system admin grants the demo driver a role on their branch; the
// driver's open session on the phone ends at once (the next API call answers 401, the page goes to the
// login), and after logging in again the driver sees the new scope. The Sichuan org admin sees only the
// users of Sichuan's subtree, cannot hand out system admin, and resets a secretary's lost password,
// which the secretary then replaces with their own from the user menu.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { desktop, journeyEnvironment, logIn, phone, pickOption, saveScreenshot } from './harness';

const PASSWORD = 'convoy-demo';
const BRANCH = '青禾出行成都第一流动党员党支部';

async function openUsersPage(page: Page) {
  await page.getByTestId('nav-users').click();
  await page.waitForURL(/\/users$/);
  await page.getByTestId('user-table').waitFor({ state: 'visible', timeout: 20_000 });
}

/** The usernames the table lists right now. */
async function listedUsernames(page: Page): Promise<string[]> {
  const buttons = page.locator('[data-testid^="user-open-"]');
  const ids = await buttons.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-testid') ?? ''));
  return ids.map((id) => id.replace('user-open-', ''));
}

describe('users and roles journey', () => {
  const journey = journeyEnvironment();

  test('the admin grants the driver a role: the driver’s open session ends, and after a fresh login the new scope is there', async () => {
    const { baseUrl } = journey.server;
    const driverContext = await journey.browser.newContext(phone);
    const adminContext = await journey.browser.newContext(desktop);
    try {
      const driver = await driverContext.newPage();
      await logIn(driver, baseUrl, 'driver', PASSWORD, /\/me$/);
      expect((await driver.request.get(`${baseUrl}/api/v1/auth/me`)).status()).toBe(200);

      const admin = await adminContext.newPage();
      await logIn(admin, baseUrl, 'admin', PASSWORD);
      await openUsersPage(admin);
      await admin.getByTestId('user-search').locator('input').fill('driver');
      await expect.poll(() => listedUsernames(admin), { timeout: 15_000 }).toEqual(['driver']);
      await admin.getByTestId('user-open-driver').click();
      const drawer = admin.getByTestId('user-grants');
      await drawer.waitFor({ state: 'visible' });
      expect(await drawer.textContent()).toContain(`劳动者 · ${BRANCH}`);

      await pickOption(admin, admin.getByTestId('user-grant-role'), '分析', '分析员');
      await pickOption(admin, admin.getByTestId('unit-picker'), BRANCH, BRANCH);
      await admin.getByTestId('user-grant-submit').click();
      // The confirmation says plainly that the driver will be logged out.
      const note = admin.getByTestId('user-confirm-logout');
      await note.waitFor({ state: 'visible' });
      expect(await note.textContent()).toContain('将被立即退出登录');
      expect(await admin.getByTestId('user-confirm').textContent()).toContain(`将在「${BRANCH}」授予「分析员」`);
      await saveScreenshot(admin, 'users-grant-confirm-desktop.png');
      await admin.getByTestId('user-confirm-ok').click();
      await expect.poll(() => drawer.textContent(), { timeout: 15_000 }).toContain(`分析员 · ${BRANCH}`);
      await admin.locator('.ant-message-notice', { hasText: '登录会话已结束' }).waitFor({ state: 'visible', timeout: 15_000 });
      await saveScreenshot(admin, 'users-granted-desktop.png');

      // The driver's session is gone: the next API call answers 401 and the page sends them to log in.
      expect((await driver.request.get(`${baseUrl}/api/v1/auth/me`)).status()).toBe(401);
      await driver.reload();
      await driver.waitForURL(/\/login$/, { timeout: 15_000 });

      // Logged in again (back on the page they were on), the driver also has the analyst's figures.
      await logIn(driver, baseUrl, 'driver', PASSWORD, /\/me$/);
      const me = (await (await driver.request.get(`${baseUrl}/api/v1/auth/me`)).json()) as { grants: { role: string }[] };
      expect(me.grants.map((g) => g.role).sort()).toEqual(['analyst', 'worker']);
      await driver.getByTestId('nav-toggle').click();
      await driver.getByTestId('nav-appeal-figures').click();
      await driver.waitForURL(/\/appeal-figures$/);
      expect(await driver.locator('.ant-result-403').count()).toBe(0);
      await saveScreenshot(driver, 'users-driver-new-scope-phone.png');
    } finally {
      await driverContext.close();
      await adminContext.close();
    }
  });

  test('the Sichuan org admin sees only the users of their subtree, cannot make a system admin, and resets a secretary’s password, which the secretary replaces', async () => {
    const { baseUrl } = journey.server;
    const context = await journey.browser.newContext(desktop);
    const secretaryContext = await journey.browser.newContext(desktop);
    try {
      const page = await context.newPage();
      await logIn(page, baseUrl, 'sichuan', PASSWORD);
      await openUsersPage(page);
      await expect.poll(() => listedUsernames(page), { timeout: 15_000 }).toEqual(['sichuan', 'branch', 'driver']);
      // The system admin holds no grant in Sichuan: not listed, not found by name, not reachable over the API.
      await page.getByTestId('user-search').locator('input').fill('admin');
      await page.locator('.ant-empty', { hasText: '没有找到您可管理的用户' }).waitFor({ state: 'visible', timeout: 15_000 });
      const answer = (await (await page.request.get(`${baseUrl}/api/v1/users?q=admin`)).json()) as { items: unknown[] };
      expect(answer.items).toEqual([]);
      await saveScreenshot(page, 'users-org-admin-scope-desktop.png');

      // Their own account is not theirs to change.
      await page.getByTestId('user-search').locator('input').fill('sichuan');
      await expect.poll(() => listedUsernames(page), { timeout: 15_000 }).toEqual(['sichuan']);
      await page.getByTestId('user-open-sichuan').click();
      await page.getByTestId('user-self').waitFor({ state: 'visible' });
      expect(await page.getByTestId('user-grant-form').count()).toBe(0);
      await page.keyboard.press('Escape');
      await page.getByTestId('user-drawer').waitFor({ state: 'hidden' });

      const secretary = await secretaryContext.newPage();
      await logIn(secretary, baseUrl, 'branch', PASSWORD);

      await page.getByTestId('user-search').locator('input').fill('branch');
      await expect.poll(() => listedUsernames(page), { timeout: 15_000 }).toEqual(['branch']);
      await page.getByTestId('user-open-branch').click();
      // An org admin is offered every role but system admin.
      await page.getByTestId('user-grant-role').click();
      await page.locator('.ant-select-item-option', { hasText: '分析员' }).waitFor({ state: 'visible' });
      expect(await page.locator('.ant-select-item-option', { hasText: '系统管理员' }).count()).toBe(0);
      await page.keyboard.press('Escape');

      await page.getByTestId('user-reset-password').click();
      await page.getByTestId('user-confirm-logout').waitFor({ state: 'visible' });
      expect(await page.getByTestId('user-confirm-logout').textContent()).toContain('将被立即退出登录');
      await page.getByTestId('user-confirm-ok').click();
      const shown = page.getByTestId('user-temporary-password');
      await shown.waitFor({ state: 'visible', timeout: 15_000 });
      const temporary = /[a-z2-9]{4}(-[a-z2-9]{4}){3}/.exec((await shown.textContent()) ?? '')?.[0] ?? '';
      expect(temporary).not.toBe('');
      await saveScreenshot(page, 'users-temporary-password-desktop.png');
      await page.getByTestId('user-temporary-close').click();

      // The secretary's open session ended; the old password no longer works, the temporary one does.
      expect((await secretary.request.get(`${baseUrl}/api/v1/auth/me`)).status()).toBe(401);
      await secretary.goto(`${baseUrl}/login`);
      await secretary.getByTestId('login-username').fill('branch');
      await secretary.getByTestId('login-password').fill(PASSWORD);
      await secretary.getByTestId('login-submit').click();
      await secretary.getByTestId('login-error').waitFor({ state: 'visible', timeout: 15_000 });
      await logIn(secretary, baseUrl, 'branch', temporary);

      // The secretary replaces the temporary password with one of their own from the user menu.
      const chosen = 'lantern-harbor-quietly-88';
      await secretary.getByTestId('user-menu').click();
      await secretary.getByTestId('change-password').click();
      await secretary.getByTestId('my-password-current').fill(temporary);
      await secretary.getByTestId('my-password-new').fill(chosen);
      await secretary.getByTestId('my-password-repeat').fill(chosen);
      await secretary.getByTestId('modal-submit').click();
      await secretary.locator('.ant-message-notice', { hasText: '密码已修改' }).waitFor({ state: 'visible', timeout: 15_000 });
      // This browser's session was renewed, not ended; the temporary password is spent.
      expect((await secretary.request.get(`${baseUrl}/api/v1/auth/me`)).status()).toBe(200);
      const withTemporary = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'branch', password: temporary }) });
      expect(withTemporary.status).toBe(401);
      await secretary.context().clearCookies();
      await logIn(secretary, baseUrl, 'branch', chosen);
    } finally {
      await context.close();
      await secretaryContext.close();
    }
  });
});
