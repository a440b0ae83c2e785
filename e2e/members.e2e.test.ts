// The demo driver declares membership from their phone; the branch secretary opens the declarations
// inbox, verifies it with the ID number the server needs, and finds the new member among the members
// by a two-character piece of the driver's name; the driver's page then shows the verified declaration.
import { describe, expect, test } from 'vitest';
import { idCardCheckCharacter } from '../server/core/sensitive';
import { desktop, journeyEnvironment, logIn, phone, saveScreenshot } from './harness';

const DEMO_PASSWORD = 'convoy-demo';
const DRIVER = '王海涛';
const HOME_ORG = '四川省南充市顺庆区舞凤街道第三社区党支部';
const JOIN_DATE = '2012-07-01';

/** A GB 11643 number: 17 digits and the check character their weighted sum calls for. */
function residentIdNumber(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error(`17 digits expected, got ${first17}`);
  return first17 + idCardCheckCharacter(first17);
}

// Nanchong Shunqing (511302), born 1986-05-14, an odd sequence digit (male); different on every run.
const sequence = String(100 + (Date.now() % 400) * 2 + 1).slice(-3);
const ID_NUMBER = residentIdNumber(`51130219860514${sequence}`);


describe('members journey', () => {
  const journey = journeyEnvironment();

  test('the check character is computed as GB 11643 says', () => {
    // The standard's own example.
    expect(residentIdNumber('11010519491231002')).toBe('11010519491231002X');
    expect(ID_NUMBER).toMatch(/^51130219860514\d{3}[\dX]$/);
  });

  test('the driver declares membership on their phone', async () => {
    const context = await journey.browser.newContext(phone);
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'driver', DEMO_PASSWORD, /\/me$/);
      const card = page.getByTestId('declare-card');
      await card.waitFor({ state: 'visible', timeout: 15_000 });
      // The seed gives the demo driver no declaration; should a run find one pending, it goes on from there.
      const state = card.getByTestId('declare-state');
      await expect.poll(async () => (await card.getByTestId('declare-submit').count()) + (await state.count()), { timeout: 15_000 }).toBeGreaterThan(0);
      if ((await card.getByTestId('declare-submit').count()) > 0) {
        const submit = await card.getByTestId('declare-submit').boundingBox();
        expect(submit && submit.height >= 44 && submit.width > 300).toBe(true);
        await card.getByTestId('declare-home-org-input').fill(HOME_ORG);
        await card.getByTestId('declare-join-date-input').fill(JOIN_DATE);
        await card.getByTestId('declare-submit').click();
      }
      await expect.poll(() => state.getAttribute('data-status'), { timeout: 15_000 }).toBe('pending');
      expect(await state.textContent()).toContain('核实中');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await card.scrollIntoViewIfNeeded();
      await saveScreenshot(page, 'declare-phone.png');
    } finally {
      await context.close();
    }
  });

  test('the branch secretary verifies it and finds the new member by 海涛', async () => {
    const context = await journey.browser.newContext(desktop);
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'branch', DEMO_PASSWORD);
      await page.getByTestId('nav-member-declarations').click();
      await page.waitForURL(/\/member-declarations$/);
      const row = page.getByTestId('declaration-table').locator('tbody tr.ant-table-row', { hasText: DRIVER });
      await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
      expect(await row.textContent()).toContain(HOME_ORG);
      await row.getByRole('button', { name: /核\s*实/ }).click();

      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('verify-id-card-input').fill(ID_NUMBER);
      // The ID number states birth year and gender; the form fills them in.
      await expect.poll(() => dialog.getByTestId('verify-birth-year-input').inputValue()).toBe('1986');
      await dialog.getByTestId('modal-submit').click();
      await expect.poll(() => page.locator('.ant-message').textContent(), { timeout: 15_000 }).toContain(DRIVER);
      await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(0);

      // The new member, found by two characters of the name.
      await page.getByTestId('nav-members').click();
      await page.waitForURL(/\/members$/);
      const table = page.getByTestId('member-table');
      await expect.poll(() => table.locator('tbody tr.ant-table-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await page.getByTestId('member-search').locator('input').fill('海涛');
      // Only the driver is left in the list (the branch's other members do not match).
      const rows = table.locator('tbody tr.ant-table-row');
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
      const member = rows.filter({ hasText: DRIVER });
      expect(await member.count()).toBe(1);
      expect(await member.textContent()).toMatch(/1\d\d\*\*\*\*\d{4}/);
      expect(await member.textContent()).toContain('流动党员');
      await saveScreenshot(page, 'members.png');

      // The record: masked until asked, then in full (the view is recorded).
      await member.getByRole('link', { name: DRIVER }).click();
      await page.waitForURL(/\/members\/\d+$/);
      await expect.poll(() => page.getByTestId('member-title').textContent()).toBe(DRIVER);
      expect(await page.getByTestId('member-id-card').textContent()).not.toBe(ID_NUMBER);
      expect(await page.getByTestId('member-mobile-fields').textContent()).toContain(HOME_ORG);
      expect(await page.getByTestId('member-fields').textContent()).toContain(JOIN_DATE);
      await page.getByTestId('member-unmask').click();
      await expect.poll(() => page.getByTestId('member-id-card').textContent()).toBe(ID_NUMBER);
      expect(await page.getByTestId('member-phone').textContent()).toMatch(/^1\d{10}$/);
      await saveScreenshot(page, 'member-detail.png');
    } finally {
      await context.close();
    }
  });

  test('the driver sees the declaration verified', async () => {
    const context = await journey.browser.newContext(phone);
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'driver', DEMO_PASSWORD, /\/me$/);
      const state = page.getByTestId('declare-card').getByTestId('declare-state');
      await expect.poll(() => state.getAttribute('data-status'), { timeout: 15_000 }).toBe('verified');
      expect(await page.getByTestId('declare-submit').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
