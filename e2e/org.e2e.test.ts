// An organization admin's day-one journey, in Chinese, at desktop and phone sizes: log in, find the
// Chengdu committee, found a new mobile branch under it, read the page in English, log out.
import type { Route } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { journeyEnvironment, logIn, pickOption, saveScreenshot } from './harness';

const DEMO_PASSWORD = 'convoy-demo';
const NEW_BRANCH = '成都测试流动党员党支部';

describe('organization journey', () => {
  const journey = journeyEnvironment();

  test('an org admin founds a mobile branch under Chengdu, sees it in the tree, reads it in English, logs out', async () => {
    const context = await journey.browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'sichuan', DEMO_PASSWORD);
      const tree = page.getByTestId('org-tree');
      await expect.poll(() => tree.textContent()).toContain('四川省');

      // Find the Chengdu industry committee by name.
      await page.getByTestId('org-search').locator('input').fill('成都');
      const chengdu = page.getByTestId('org-search-results').locator('li', { hasText: /成都.*行业党委/ }).first();
      await chengdu.click();
      await expect.poll(() => page.getByTestId('unit-title').textContent()).toMatch(/成都.*行业党委/);

      // Found a mobile branch under it, on a platform, in 成都市.
      await page.getByTestId('org-action-create').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('unit-name-input').fill(NEW_BRANCH);
      await dialog.getByTestId('unit-kind-select').getByText('流动党员党支部', { exact: true }).click();
      await pickOption(page, dialog.getByTestId('platform-select'), '', /./);
      await pickOption(page, dialog.getByTestId('city-select'), '成都', /^成都市/);
      await dialog.getByTestId('modal-submit').click();

      // The new branch opens, and the tree shows it beneath Chengdu.
      await expect.poll(() => page.getByTestId('unit-title').textContent(), { timeout: 15_000 }).toBe(NEW_BRANCH);
      await expect.poll(() => tree.getByText(NEW_BRANCH, { exact: true }).count()).toBe(1);
      expect(await page.getByTestId('unit-detail').textContent()).toContain('成都市');
      await saveScreenshot(page, 'org-journey.png');

      // Switch to English: our labels change, the data stays as it is.
      await page.getByTestId('language-switch').click();
      await expect.poll(() => page.getByTestId('unit-detail').textContent()).toContain('Mobile branch');
      expect(await page.getByRole('menu').textContent()).toContain('Organization');

      // And back: the choice is saved for the user, so leave it in Chinese.
      await page.getByTestId('language-switch').click();
      await expect.poll(() => page.getByTestId('unit-detail').textContent()).toContain('流动党员党支部');

      // Log out and land on the login page.
      await page.getByTestId('user-menu').click();
      await page.getByTestId('logout').click();
      await page.waitForURL(/\/login$/);
      await expect.poll(() => page.getByTestId('login-submit').isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });

  test('a wrong password is refused with the reason the server gives, in Chinese', async () => {
    const context = await journey.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(`${journey.server.baseUrl}/org`);
      await page.waitForURL(/\/login$/);
      await page.getByTestId('login-username').fill('sichuan');
      await page.getByTestId('login-password').fill('not-the-password');
      await page.getByTestId('login-submit').click();
      await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('密码');
    } finally {
      await context.close();
    }
  });

  test('a menu item clicked while the organization page still loads is not taken back to it', async () => {
    // The race of a slow phone or a busy server: /org opens the first top unit once the units arrive; if
    // they arrive while the clicked page's code is still loading, that must not cancel the click.
    const context = await journey.browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    type Held = { holding: boolean; routes: Route[] };
    const roots: Held = { holding: true, routes: [] };
    const code: Held = { holding: true, routes: [] };
    const hold = (held: Held) => (route: Route) => (held.holding ? void held.routes.push(route) : route.continue());
    const release = async (held: Held) => {
      held.holding = false;
      for (const route of held.routes.splice(0)) await route.continue();
    };
    try {
      await page.route(/\/api\/v1\/org-units\?.*rootsOnly=true/, hold(roots));
      await page.route(/\/assets\/declarations-page-[^/]*\.js$/, hold(code));
      await logIn(page, journey.server.baseUrl, 'branch', DEMO_PASSWORD, /\/org$/);
      await expect.poll(() => roots.routes.length).toBeGreaterThan(0);
      await page.getByTestId('nav-member-declarations').click();
      await expect.poll(() => code.routes.length).toBe(1);
      // The units arrive while the declarations page is on its way.
      await release(roots);
      await expect.poll(() => page.getByTestId('org-tree').textContent()).toMatch(/\S/);
      await release(code);
      await page.waitForURL(/\/member-declarations$/);
      await expect.poll(() => page.getByTestId('declaration-table').count()).toBe(1);
      expect(new URL(page.url()).pathname).toBe('/member-declarations');
    } finally {
      await context.close();
    }
  });

  test('on a phone the organization page stacks the tree above the unit', async () => {
    const context = await journey.browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'sichuan', DEMO_PASSWORD);
      await expect.poll(() => page.getByTestId('unit-title').textContent()).toContain('四川省');
      const treeBox = await page.getByTestId('org-tree').boundingBox();
      const detailBox = await page.getByTestId('unit-detail').boundingBox();
      // Stacked: the tree comes first and the unit below it uses the whole width.
      expect(treeBox && detailBox && treeBox.y < detailBox.y).toBe(true);
      expect(detailBox?.width).toBeGreaterThan(330);
      // Nothing runs off the side of the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await saveScreenshot(page, 'org-phone.png');
    } finally {
      await context.close();
    }
  });
});
