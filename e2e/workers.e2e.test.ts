// A branch secretary records a worker, finds them again by a two-character piece of the name, opens
// the record and reveals the full number; the list turns into cards on a phone; and the demo driver
// lands on their own phone page, sees their data and consent, and withdraws it.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { desktop, journeyEnvironment, logIn, phone, pickOption, RESULTS_DIR, saveScreenshot } from './harness';

const DEMO_PASSWORD = 'convoy-demo';
const NEW_WORKER = '欧阳明华';
// Unlikely to collide with a seeded phone or platform id, and different on every run.
const suffix = String(Date.now()).slice(-8);
const NEW_PHONE = `139${suffix}`;
const NEW_PLATFORM_ID = `E2E${suffix}`;


async function noSidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

describe('workers journey', () => {
  const journey = journeyEnvironment();

  test('a branch secretary records a worker, finds them by 阳明, opens the record and reveals the full number', async () => {
    const context = await journey.browser.newContext(desktop);
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'branch', DEMO_PASSWORD);
      await page.getByTestId('nav-workers').click();
      await page.waitForURL(/\/workers$/);
      const table = page.getByTestId('worker-table');
      // The seeded workers of the branch show, masked.
      await expect.poll(() => table.locator('tbody tr.ant-table-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      expect(await table.textContent()).toMatch(/1\d\d\*\*\*\*\d{4}/);
      await saveScreenshot(page, 'workers.png');

      // Record a new worker through the form.
      await page.getByTestId('worker-new').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('worker-name-input').fill(NEW_WORKER);
      await dialog.getByTestId('worker-phone-input').fill(NEW_PHONE);
      await pickOption(page, dialog.getByTestId('platform-select'), '青禾', /青禾/);
      await dialog.getByTestId('worker-platform-id-input').fill(NEW_PLATFORM_ID);
      await pickOption(page, dialog.getByTestId('worker-work-type-select'), '', '网约车');
      await pickOption(page, dialog.getByTestId('worker-vehicle-select'), '', '小汽车');
      await pickOption(page, dialog.getByTestId('city-select'), '成都', /^成都市/);
      await pickOption(page, dialog.getByTestId('unit-picker'), '成都第一', /成都第一/);
      await dialog.getByTestId('modal-submit').click();
      await expect.poll(() => page.locator('.ant-message').textContent(), { timeout: 15_000 }).toContain(NEW_WORKER);

      // Two characters from the middle of the name find them.
      await page.getByTestId('worker-search').locator('input').fill('阳明');
      const row = table.locator('tbody tr.ant-table-row', { hasText: NEW_WORKER });
      await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
      const masked = `${NEW_PHONE.slice(0, 3)}****${NEW_PHONE.slice(-4)}`;
      expect(await row.textContent()).toContain(masked);
      expect(await row.textContent()).toContain('成都市');
      expect(await row.textContent()).toContain('网约车');

      // So do the last four digits of the phone.
      await page.getByTestId('worker-search').locator('input').fill(NEW_PHONE.slice(-4));
      await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);

      // Open the record: masked until asked, then the full number.
      await row.getByRole('link', { name: NEW_WORKER }).click();
      await page.waitForURL(/\/workers\/\d+$/);
      await expect.poll(() => page.getByTestId('worker-title').textContent()).toBe(NEW_WORKER);
      expect(await page.getByTestId('worker-phone').textContent()).toBe(masked);
      expect(await page.getByTestId('worker-fields').textContent()).toContain('青禾出行成都第一流动党员党支部');
      await page.getByTestId('worker-unmask').click();
      await expect.poll(() => page.getByTestId('worker-phone').textContent()).toBe(NEW_PHONE);
      await saveScreenshot(page, 'worker-detail.png');

      // From the serving unit's page, its own workers.
      await page.getByTestId('worker-fields').getByRole('link', { name: '青禾出行成都第一流动党员党支部' }).click();
      await page.waitForURL(/\/org\/\d+$/);
      await page.getByTestId('unit-workers-link').click();
      await page.waitForURL(/\/workers\?unitId=\d+$/);
      await expect.poll(() => page.getByTestId('worker-unit-filter').textContent()).toContain('青禾出行成都第一流动党员党支部');
      await expect.poll(() => table.locator('tbody tr.ant-table-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    } finally {
      await context.close();
    }
  });

  test('the form shows the server’s reason beside a phone number it refuses', async () => {
    const context = await journey.browser.newContext(desktop);
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'branch', DEMO_PASSWORD);
      await page.goto(`${journey.server.baseUrl}/workers`);
      await page.getByTestId('worker-new').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('worker-name-input').fill('张伟');
      await dialog.getByTestId('worker-phone-input').fill('12345678901');
      await pickOption(page, dialog.getByTestId('platform-select'), '青禾', /青禾/);
      await dialog.getByTestId('worker-platform-id-input').fill(`BAD${suffix}`);
      await pickOption(page, dialog.getByTestId('worker-work-type-select'), '', '货运');
      await pickOption(page, dialog.getByTestId('worker-vehicle-select'), '', '面包车');
      await pickOption(page, dialog.getByTestId('city-select'), '成都', /^成都市/);
      await dialog.getByTestId('modal-submit').click();
      await expect.poll(() => dialog.locator('.ant-form-item-explain-error').textContent(), { timeout: 15_000 }).toContain('手机号');
    } finally {
      await context.close();
    }
  });

  test('on a phone the worker list is a column of cards', async () => {
    const context = await journey.browser.newContext(phone);
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'branch', DEMO_PASSWORD);
      await page.goto(`${journey.server.baseUrl}/workers`);
      const cards = page.getByTestId('worker-cards').locator('[data-testid^="worker-card-"]');
      await expect.poll(() => cards.count(), { timeout: 15_000 }).toBeGreaterThan(1);
      expect(await page.getByTestId('worker-table').count()).toBe(0);
      const first = await cards.nth(0).boundingBox();
      const second = await cards.nth(1).boundingBox();
      expect(first && second && first.y < second.y && first.width > 330).toBe(true);
      expect(await noSidewaysScroll(page)).toBeLessThanOrEqual(390);
      // What the phone shows without scrolling (the full page is fifty cards long).
      await mkdir(RESULTS_DIR, { recursive: true });
      await page.screenshot({ path: join(RESULTS_DIR, 'workers-phone.png') });
    } finally {
      await context.close();
    }
  });

  test('the demo driver lands on their own page, sees their full number and consent, withdraws it and consents again', async () => {
    const context = await journey.browser.newContext(phone);
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'driver', DEMO_PASSWORD, /\/me$/);
      await expect.poll(() => page.getByTestId('my-data').textContent(), { timeout: 15_000 }).toContain('王海涛');
      expect(await page.getByTestId('my-phone').textContent()).toMatch(/^1\d{10}$/);
      expect(await page.getByTestId('my-consent-state').textContent()).toContain('2026');
      const withdraw = await page.getByTestId('my-consent-withdraw').boundingBox();
      expect(withdraw && withdraw.height >= 44 && withdraw.width > 300).toBe(true);
      expect(await noSidewaysScroll(page)).toBeLessThanOrEqual(390);
      await saveScreenshot(page, 'me-phone.png');

      await page.getByTestId('my-consent-withdraw').click();
      await page.getByTestId('withdraw-confirm').click();
      // The record leaves every list, but the worker still sees it and may consent again.
      await expect.poll(() => page.getByTestId('my-consent-give').isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await page.getByTestId('my-consent-state').textContent()).toContain('撤回');
      expect(await page.getByTestId('my-phone').textContent()).toMatch(/^1\d{10}$/);
      await page.getByTestId('my-consent-give').click();
      await expect.poll(() => page.getByTestId('my-consent-withdraw').isVisible(), { timeout: 15_000 }).toBe(true);
    } finally {
      await context.close();
    }
  });
});
