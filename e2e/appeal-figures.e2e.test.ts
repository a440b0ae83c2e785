// Appeal figures, key problems and deadlines at desktop size, in Chinese: the demo branch secretary
// reads the branch's figures (numbers in the cards, charts drawn on a canvas), answers one key problem
// with "resolved" and sees what happened to each appeal, changes a deadline and finds it kept after a
// reload, and turns a demand from the contact log into an appeal. The province admin sees the province.
// The driver's phone page leads to filing in one tap.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { desktop, journeyEnvironment, logIn, phone, pickOption, saveScreenshot } from './harness';

const DEMO_PASSWORD = 'convoy-demo';
const BRANCH = '青禾出行成都第一流动党员党支部';
const PROVINCE = '四川省新就业群体行业党委';
const ANSWER = '经与平台企业党委协调，平台已在上客区增设临时停车位，相关罚单可在 App 内申诉撤销。';

/** The number an antd Statistic shows, without thousands separators; NaN for a dash. */
async function statisticValue(card: Locator): Promise<number> {
  const text = (await card.locator('.ant-statistic-content').textContent()) ?? '';
  return Number.parseFloat(text.replace(/,/g, ''));
}

/** How many pixels of the chart's canvas are painted: ECharts draws into a <canvas> inside the chart box. */
async function paintedPixels(chart: Locator): Promise<{ width: number; height: number; painted: number }> {
  return chart.locator('canvas').first().evaluate((canvas: HTMLCanvasElement) => {
    const context = canvas.getContext('2d');
    if (!context || canvas.width === 0 || canvas.height === 0) return { width: canvas.width, height: canvas.height, painted: 0 };
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
    return { width: canvas.width, height: canvas.height, painted };
  });
}

/** The appeal counts of the key-problem rows (the sixth cell, after the expand button). */
async function openCounts(rows: Locator): Promise<number[]> {
  return rows.evaluateAll((trs) => trs.map((tr) => Number(tr.querySelectorAll('td')[5]?.textContent ?? 'NaN')));
}

async function expectChartDrawn(page: Page, testId: string): Promise<void> {
  const chart = page.getByTestId(testId);
  await expect.poll(() => chart.locator('canvas').count(), { timeout: 15_000 }).toBeGreaterThan(0);
  // ECharts animates the first drawing; poll until something is on the canvas.
  await expect.poll(async () => (await paintedPixels(chart)).painted, { timeout: 15_000 }).toBeGreaterThan(500);
  const { width, height } = await paintedPixels(chart);
  expect(width).toBeGreaterThan(100);
  expect(height).toBeGreaterThan(100);
}

async function expectFigures(page: Page): Promise<number> {
  await page.getByTestId('figures-page').waitFor();
  const total = page.getByTestId('kpi-total');
  await expect.poll(() => statisticValue(total), { timeout: 20_000 }).toBeGreaterThan(0);
  for (const kpi of ['kpi-ack', 'kpi-resolve', 'kpi-ack-on-time', 'kpi-resolve-on-time', 'kpi-satisfaction', 'kpi-overdue']) {
    expect(Number.isFinite(await statisticValue(page.getByTestId(kpi))), kpi).toBe(true);
  }
  await expectChartDrawn(page, 'figures-volume-chart');
  await expectChartDrawn(page, 'figures-category-chart');
  await expectChartDrawn(page, 'figures-ratings-chart');
  return statisticValue(total);
}

describe('appeal figures, key problems and deadlines', () => {
  const journey = journeyEnvironment();
  let branchTotal = 0;

  test('the branch secretary reads the figures, answers a key problem, and changes a deadline that survives a reload', async () => {
    const context = await journey.browser.newContext(desktop);
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'branch', DEMO_PASSWORD);

      // Figures: the branch is the default unit; numbers in every card, three charts drawn.
      await page.getByTestId('nav-appeal-figures').click();
      await page.waitForURL(/\/appeal-figures/);
      await expect.poll(() => page.getByTestId('scope-unit').textContent(), { timeout: 15_000 }).toContain(BRANCH);
      branchTotal = await expectFigures(page);
      expect(await page.getByTestId('figures-volume-chart').getAttribute('aria-label')).toBe('每周诉求量（按类别）');
      await saveScreenshot(page, 'appeal-figures-branch.png');
      // A shorter period counts no more appeals than a longer one.
      await page.getByTestId('figures-period').getByText('近 26 周').click();
      await page.waitForURL(/weeks=26/);
      await expect.poll(() => statisticValue(page.getByTestId('kpi-total')), { timeout: 15_000 }).toBeGreaterThanOrEqual(branchTotal);

      // Key problems: biggest first; a row opens to its appeals.
      await page.getByTestId('nav-appeal-problems').click();
      await page.waitForURL(/\/appeal-problems/);
      const table = page.getByTestId('clusters-table');
      await table.waitFor();
      await expect.poll(() => table.locator('.ant-spin-spinning').count(), { timeout: 15_000 }).toBe(0);
      const rows = table.locator('tbody tr.ant-table-row');
      const clusters = await rows.count();
      if (clusters > 0) {
        const counts = await openCounts(rows);
        expect(counts.every((n) => n >= 3)).toBe(true);
        expect([...counts].sort((a, b) => b - a)).toEqual(counts);
        const first = rows.first();
        await first.locator('.ant-table-row-expand-icon').click();
        const appealLinks = table.locator('[data-testid^="cluster-appeal-"]');
        await expect.poll(() => appealLinks.count(), { timeout: 10_000 }).toBe(counts[0]);
        expect(await appealLinks.first().getAttribute('href')).toMatch(/^\/appeals\/\d+$/);
        await saveScreenshot(page, 'appeal-key-problems.png');

        // Answer them all, resolving: the result counts every appeal of the problem the branch holds.
        await first.getByTestId('cluster-answer').click();
        const modal = page.getByTestId('answer-cluster-modal');
        await modal.getByTestId('answer-cluster-body').fill(ANSWER);
        await modal.getByTestId('answer-cluster-resolve').check();
        await modal.getByTestId('answer-cluster-submit').click();
        await modal.getByTestId('answer-cluster-result').waitFor({ timeout: 30_000 });
        const answered = Number(await modal.getByTestId('answer-result-answered').textContent());
        const resolved = Number(await modal.getByTestId('answer-result-resolved').textContent());
        const skipped = Number(await modal.getByTestId('answer-result-skipped').textContent());
        expect(answered).toBeGreaterThan(0);
        expect(resolved).toBe(answered);
        expect(answered + skipped).toBeLessThanOrEqual(counts[0] ?? 0);
        await saveScreenshot(page, 'appeal-key-problem-answered.png');
        await modal.getByTestId('answer-cluster-close').click();
        // Resolved appeals are no longer open: the problem shrinks by them, or leaves the list below three.
        const sum = (ns: number[]) => ns.reduce((a, b) => a + b, 0);
        await expect.poll(async () => sum(await openCounts(rows)), { timeout: 15_000 }).toBeLessThanOrEqual(sum(counts) - resolved);
      } else {
        await saveScreenshot(page, 'appeal-key-problems.png');
      }

      // Deadlines: one category's acknowledge hours changed, saved, and still there after a reload.
      await page.getByTestId('nav-appeal-deadlines').click();
      await page.waitForURL(/\/appeal-deadlines/);
      const acknowledge = page.getByTestId('sla-traffic_parking-acknowledgeHours');
      await acknowledge.waitFor({ timeout: 15_000 });
      const before = Number(await acknowledge.inputValue());
      const after = before === 6 ? 8 : 6;
      await acknowledge.fill(String(after));
      await page.getByTestId('sla-traffic_parking-save').click();
      await expect.poll(() => page.locator('.ant-message').textContent(), { timeout: 15_000 }).toContain('已保存「交通与停车」的办理时限');
      await page.reload();
      await page.getByTestId('sla-traffic_parking-acknowledgeHours').waitFor({ timeout: 15_000 });
      await expect.poll(() => page.getByTestId('sla-traffic_parking-acknowledgeHours').inputValue(), { timeout: 15_000 }).toBe(String(after));
      expect(await page.getByTestId('sla-traffic_parking-save').isDisabled()).toBe(true);
      await saveScreenshot(page, 'appeal-deadlines.png');
    } finally {
      await context.close();
    }
  });

  test('a demand from the liaison contact log becomes an appeal filed for the worker', async () => {
    const context = await journey.browser.newContext(desktop);
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'branch', DEMO_PASSWORD);
      await page.getByTestId('nav-liaison').click();
      const members = page.getByTestId('liaison-members');
      await expect.poll(() => members.locator('tbody tr.ant-table-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      // Open members one by one until a contact log shows a demand to turn into an appeal.
      const turn = page.locator('[data-testid^="contact-to-appeal-"]');
      const expanders = members.locator('tbody tr.ant-table-row .ant-table-row-expand-icon');
      for (let i = 0; i < (await expanders.count()) && (await turn.count()) === 0; i++) {
        await expanders.nth(i).click();
        await page.waitForTimeout(1_000);
      }
      expect(await turn.count()).toBeGreaterThan(0);
      await turn.first().click();
      const modal = page.getByTestId('from-contact-modal');
      expect((await modal.getByTestId('from-contact-description').inputValue()).length).toBeGreaterThan(0);
      await pickOption(page, modal.getByTestId('from-contact-category'), '其他', '其他');
      // Some demands were written down in fewer than five characters: add to them so the server takes them.
      const description = await modal.getByTestId('from-contact-description').inputValue();
      if (description.trim().length < 5) await modal.getByTestId('from-contact-description').fill(`${description}（联系时提出）`);
      // The category list closes with an animation; the picture shows the form, not the list on its way out.
      await expect.poll(() => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count(), { timeout: 5_000 }).toBe(0);
      await saveScreenshot(page, 'appeal-from-contact-form.png');
      await modal.getByTestId('from-contact-submit').click();
      await modal.getByTestId('from-contact-result').waitFor({ timeout: 20_000 });
      expect(await modal.getByTestId('from-contact-result').textContent()).toMatch(/已转为诉求 #\d+/);
      await saveScreenshot(page, 'appeal-from-contact.png');
      await modal.getByTestId('from-contact-open').click();
      await page.waitForURL(/\/appeals\/\d+$/);
      await expect.poll(() => page.getByTestId('appeal-page').textContent(), { timeout: 15_000 }).toContain('党员代为反映');
    } finally {
      await context.close();
    }
  });

  test('the province admin sees the figures of the whole province', async () => {
    const context = await journey.browser.newContext(desktop);
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'sichuan', DEMO_PASSWORD);
      await page.getByTestId('nav-appeal-figures').click();
      await expect.poll(() => page.getByTestId('scope-unit').textContent(), { timeout: 15_000 }).toContain(PROVINCE);
      const total = await expectFigures(page);
      // The branch is one unit of the province: the province counts at least as many appeals.
      expect(total).toBeGreaterThanOrEqual(branchTotal);
      await saveScreenshot(page, 'appeal-figures-province.png');
    } finally {
      await context.close();
    }
  });

  test('the driver’s phone page leads to filing an appeal and to their appeals', async () => {
    const context = await journey.browser.newContext(phone);
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'driver', DEMO_PASSWORD, /\/me$/);
      const button = page.getByTestId('my-file-appeal');
      await button.waitFor();
      expect(await button.textContent()).toContain('反映诉求');
      const box = await button.boundingBox();
      expect(box && box.height >= 48 && box.width > 300).toBe(true);
      await saveScreenshot(page, 'appeal-my-page-phone.png');
      await button.click();
      await page.waitForURL(/\/me\/appeals\/new$/);
      await page.goBack();
      await page.getByTestId('my-appeals-link').click();
      await page.waitForURL(/\/me\/appeals$/);
    } finally {
      await context.close();
    }
  });
});
