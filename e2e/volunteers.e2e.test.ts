// Volunteering end to end, in Chinese: the branch secretary (desktop) founds a volunteer team that she
// leads; the demo driver (phone) finds it among the teams open to him, joins it and logs two hours; the
// secretary finds the record in her queue and verifies it; the driver sees the two hours counted.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { desktop, journeyEnvironment, logIn, phone, pickOption, saveScreenshot } from './harness';

const DEMO_PASSWORD = 'convoy-demo';
// The secretary's and the driver's branch (the demo's anchor), and the secretary's own member record.
const BRANCH_FRAGMENT = '成都第一';
const BRANCH = '青禾出行成都第一流动党员党支部';
const SECRETARY = '刘晓燕';
const DRIVER = '王海涛';
// Different on every run, so the test finds its own team and record among the seeded ones.
const stamp = String(Date.now()).slice(-6);
const TEAM = `爱心送考志愿服务队${stamp}`;
const SERVICE = `高考期间免费接送考生往返考场（测试${stamp}）`;

/** The number a Statistic shows, e.g. 11.5 from "已核实时长11.5小时". */
async function statisticOf(page: Page, testId: string): Promise<number> {
  const text = await page.getByTestId(testId).locator('.ant-statistic-content-value').textContent();
  return Number((text ?? '').replace(/,/g, ''));
}

/**
 * Chooses an option of a Select that searches on the server: Enter only once every option shown is a
 * match, since the list from before the search stays on screen until the answer arrives.
 */
async function searchAndPick(page: Page, select: Locator, typed: string): Promise<void> {
  await select.click();
  await page.keyboard.type(typed);
  const shown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
  await expect
    .poll(async () => {
      const texts = await shown.allTextContents();
      return texts.length > 0 && texts.every((text) => text.includes(typed));
    }, { timeout: 15_000 })
    .toBe(true);
  await page.keyboard.press('Enter');
}

describe('volunteers journey', () => {
  const journey = journeyEnvironment();

  test('at phone size a driver joins a team and logs 2 hours; the secretary verifies them; the driver sees them counted', async () => {
    const phoneContext = await journey.browser.newContext(phone);
    const deskContext = await journey.browser.newContext(desktop);
    const driver = await phoneContext.newPage();
    const secretary = await deskContext.newPage();
    try {
      // The secretary founds a team in her branch and leads it herself.
      await logIn(secretary, journey.server.baseUrl, 'branch', DEMO_PASSWORD);
      await secretary.getByTestId('nav-volunteers').click();
      await secretary.waitForURL(/\/volunteers$/);
      await expect.poll(() => secretary.getByTestId('team-table').locator('tbody tr.ant-table-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await secretary.getByTestId('team-create').click();
      const dialog = secretary.getByRole('dialog', { name: '新建服务队' });
      await pickOption(secretary, dialog.getByTestId('unit-picker'), BRANCH_FRAGMENT, BRANCH);
      await secretary.getByTestId('team-name-input').fill(TEAM);
      await searchAndPick(secretary, dialog.getByTestId('team-leader-select'), SECRETARY);
      await secretary.getByTestId('team-description-input').fill('高考、中考期间接送考生，平时到驿站帮助新司机。');
      await saveScreenshot(secretary, 'volunteers-create-team.png');
      await secretary.getByTestId('modal-submit').click();
      await secretary.waitForURL(/\/volunteers\/teams\/\d+$/, { timeout: 15_000 });
      const teamId = Number(/\/volunteers\/teams\/(\d+)$/.exec(secretary.url())?.[1]);
      expect(teamId).toBeGreaterThan(0);
      await expect.poll(() => secretary.getByTestId('team-title').textContent(), { timeout: 15_000 }).toBe(TEAM);
      const leaderRow = secretary.getByTestId('roster-table').locator('tbody tr.ant-table-row', { has: secretary.getByTestId('leader-tag') });
      await expect.poll(() => leaderRow.textContent(), { timeout: 15_000 }).toContain(SECRETARY);
      expect(await leaderRow.textContent()).toContain('队长');

      // The driver, from his own page, opens his volunteering: the new team is open to him.
      await logIn(driver, journey.server.baseUrl, 'driver', DEMO_PASSWORD, /\/me$/);
      await driver.getByTestId('my-volunteering-link').click();
      await driver.waitForURL(/\/me\/volunteering$/);
      await driver.getByTestId('my-hours').waitFor({ state: 'visible', timeout: 15_000 });
      const verifiedBefore = await statisticOf(driver, 'my-verified-hours');
      const pendingBefore = await statisticOf(driver, 'my-pending-hours');
      const openTeam = driver.getByTestId(`open-team-${teamId}`);
      await openTeam.waitFor({ state: 'visible', timeout: 15_000 });
      expect(await openTeam.textContent()).toContain(TEAM);
      expect(await openTeam.textContent()).toContain('1 人在队');
      await driver.getByTestId(`join-${teamId}`).click();
      await driver.getByTestId(`my-team-${teamId}`).waitFor({ state: 'visible', timeout: 15_000 });
      expect(await driver.getByTestId(`open-team-${teamId}`).count()).toBe(0);

      // He logs two hours for today in the new team.
      await pickOption(driver, driver.getByTestId('record-team'), stamp, TEAM);
      expect(await driver.getByTestId('record-team').textContent()).toContain(TEAM);
      expect(await driver.getByTestId('record-hours').textContent()).toContain('2 小时');
      await driver.getByTestId('record-description').fill(SERVICE);
      const submit = await driver.getByTestId('record-submit').boundingBox();
      expect(submit && submit.height >= 44 && submit.width > 300).toBe(true);
      expect(await driver.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await saveScreenshot(driver, 'volunteers-record-phone.png');
      await driver.getByTestId('record-submit').click();
      const myRecord = driver.getByTestId('my-records').locator('.ant-list-item', { hasText: SERVICE });
      await myRecord.waitFor({ state: 'visible', timeout: 15_000 });
      expect(await myRecord.getByTestId('record-status').textContent()).toBe('待核实');
      expect(await myRecord.textContent()).toContain('2 小时');
      expect(await myRecord.textContent()).toContain(TEAM);
      await expect.poll(() => statisticOf(driver, 'my-pending-hours'), { timeout: 15_000 }).toBe(pendingBefore + 2);
      expect(await statisticOf(driver, 'my-verified-hours')).toBe(verifiedBefore);

      // The secretary works her queue (oldest first) until she reaches his record, and verifies it.
      await secretary.getByTestId('nav-volunteers').click();
      await secretary.getByTestId('volunteers-tab-queue').click();
      await secretary.waitForURL(/\/volunteers\/queue$/);
      const queued = secretary.getByTestId('queue-list').locator('.ant-list-item', { hasText: SERVICE });
      const loadMore = secretary.getByRole('button', { name: '加载更多' });
      await expect
        .poll(
          async () => {
            if ((await queued.count()) > 0) return true;
            if ((await loadMore.count()) > 0 && (await loadMore.isEnabled())) await loadMore.click();
            return false;
          },
          { timeout: 30_000 },
        )
        .toBe(true);
      expect(await queued.getByTestId('queue-person').textContent()).toContain(DRIVER);
      expect(await queued.getByTestId('queue-person').textContent()).toContain('2 小时');
      expect(await queued.textContent()).toContain(TEAM);
      await saveScreenshot(secretary, 'volunteers-queue.png');
      await queued.locator('[data-testid^="verify-"]').click();
      await expect.poll(() => queued.count(), { timeout: 15_000 }).toBe(0);

      // On the team's page the record now reads verified.
      await secretary.goto(`${journey.server.baseUrl}/volunteers/teams/${teamId}`);
      await secretary.getByTestId('team-records').waitFor({ state: 'visible', timeout: 15_000 });
      await secretary.getByTestId('team-records-status').click();
      await secretary.locator('.ant-select-item-option', { hasText: '已核实' }).click();
      const verifiedRow = secretary.getByTestId('team-records').locator('tbody tr.ant-table-row', { hasText: SERVICE });
      await expect.poll(() => verifiedRow.count(), { timeout: 15_000 }).toBe(1);
      expect(await verifiedRow.getByTestId('record-status').textContent()).toBe('已核实');
      expect(await verifiedRow.textContent()).toContain(DRIVER);

      // The driver sees the two hours counted in his ledger.
      await driver.reload();
      await driver.getByTestId('my-hours').waitFor({ state: 'visible', timeout: 15_000 });
      await expect.poll(() => statisticOf(driver, 'my-verified-hours'), { timeout: 15_000 }).toBe(verifiedBefore + 2);
      expect(await statisticOf(driver, 'my-pending-hours')).toBe(pendingBefore);
      const counted = driver.getByTestId('my-records').locator('.ant-list-item', { hasText: SERVICE });
      expect(await counted.getByTestId('record-status').textContent()).toBe('已核实');
      await saveScreenshot(driver, 'volunteers-ledger-phone.png');
    } finally {
      await phoneContext.close();
      await deskContext.close();
    }
  });

  test('on a desktop the secretary keeps a vanguard post with its history, reads the hours ledger and records a grid member', async () => {
    const context = await journey.browser.newContext(desktop);
    const page = await context.newPage();
    const post = `安全驾驶先锋岗${stamp}`;
    const community = `玉林社区${stamp}`;
    // The first holder began a month ago, so a new one can take over today.
    const monthAgo = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() - 30 * 86_400_000));
    try {
      await logIn(page, journey.server.baseUrl, 'branch', DEMO_PASSWORD);
      await page.getByTestId('nav-volunteers').click();
      await page.getByTestId('volunteers-tab-posts').click();
      await page.waitForURL(/\/volunteers\/posts$/);

      // A new post held by the secretary since a month ago.
      await page.getByTestId('post-create').click();
      const dialog = page.getByRole('dialog', { name: '设立先锋岗' });
      await pickOption(page, dialog.getByTestId('unit-picker'), BRANCH_FRAGMENT, BRANCH);
      await dialog.getByTestId('post-title-input').fill(post);
      await dialog.getByTestId('post-duties-input').fill('带头安全驾驶，帮助新司机熟悉成都的路况和限行规定。');
      await searchAndPick(page, dialog.getByTestId('post-holder-select'), SECRETARY);
      await dialog.getByTestId('post-from-input').fill(monthAgo);
      await dialog.getByTestId('modal-submit').click();
      const card = page.getByTestId('post-board').locator('.ant-card', { hasText: post });
      await card.waitFor({ state: 'visible', timeout: 15_000 });
      expect(await card.getByTestId('post-holder').textContent()).toContain(`${SECRETARY} · ${monthAgo} ~ 至今`);

      // She hands it to another member of the branch: her term ends the day before, the history keeps both.
      await card.click();
      const detail = page.getByTestId('post-detail');
      await detail.waitFor({ state: 'visible', timeout: 15_000 });
      await detail.getByTestId('post-assign').click();
      const assign = page.getByRole('dialog', { name: `“${post}”换岗` });
      await assign.getByTestId('assign-holder-select').click();
      const other = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasNotText: SECRETARY }).first();
      await other.waitFor({ state: 'visible', timeout: 15_000 });
      const successor = ((await other.textContent()) ?? '').split(' · ')[0] ?? '';
      expect(successor.length).toBeGreaterThan(1);
      await other.click();
      await assign.getByTestId('modal-submit').click();
      const terms = detail.getByTestId('post-term');
      await expect.poll(() => terms.count(), { timeout: 15_000 }).toBe(2);
      expect(await terms.nth(0).textContent()).toContain(`${successor}`);
      expect(await terms.nth(0).textContent()).toContain('至今');
      expect(await terms.nth(1).textContent()).toContain(SECRETARY);
      expect(await terms.nth(1).textContent()).not.toContain('至今');
      await saveScreenshot(page, 'volunteers-post-history.png');
      // Escape reaches the drawer only while it has the focus; its close button always does.
      await page.locator('.ant-drawer-open .ant-drawer-close').click();
      await expect.poll(() => page.locator('.ant-drawer-open').count()).toBe(0);

      // The ledger of her branch: the new team's two verified hours, and the people on request.
      await page.getByTestId('volunteers-tab-hours').click();
      await page.waitForURL(/\/volunteers\/hours/);
      const teamRow = page.getByTestId('team-hours').locator('tbody tr.ant-table-row', { hasText: TEAM });
      await teamRow.waitFor({ state: 'visible', timeout: 15_000 });
      expect(await teamRow.textContent()).toContain('2 小时');
      expect(await page.getByTestId('people-ledger').count()).toBe(0);
      await page.getByTestId('ledger-show-people').click();
      const driverRow = page.getByTestId('people-ledger').locator('tbody tr.ant-table-row', { hasText: DRIVER });
      await expect.poll(() => driverRow.count(), { timeout: 15_000 }).toBe(1);
      await saveScreenshot(page, 'volunteers-ledger.png');

      // The driver serves as a part-time grid member of a community.
      await page.getByTestId('volunteers-tab-grid').click();
      await page.waitForURL(/\/volunteers\/grid/);
      await page.getByTestId('grid-create').click();
      const grid = page.getByRole('dialog', { name: '登记网格任职' });
      await searchAndPick(page, grid.getByTestId('grid-worker-select'), DRIVER);
      await pickOption(page, grid.getByTestId('city-select'), '成都', /^成都市/);
      await grid.getByTestId('grid-community-input').fill(community);
      await grid.getByTestId('grid-name-input').fill(`${community}第3网格`);
      await grid.getByTestId('modal-submit').click();
      const gridRow = page.getByTestId('grid-table').locator('tbody tr.ant-table-row', { hasText: community });
      await gridRow.waitFor({ state: 'visible', timeout: 15_000 });
      expect(await gridRow.textContent()).toContain(DRIVER);
      expect(await gridRow.textContent()).toContain('兼职网格员');
      expect(await gridRow.textContent()).toContain('至今');
      await saveScreenshot(page, 'volunteers-grid.png');
    } finally {
      await context.close();
    }
  });
});
