// A branch secretary imports a small CSV of workers through the wizard (column preview, dry run, real
// import with live progress), finds an imported worker by a two-character piece of her name, and
// opens the liaison board and logs a contact with one of a member's workers.
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { desktop, journeyEnvironment, logIn, pickOption, saveScreenshot } from './harness';

const DEMO_PASSWORD = 'convoy-demo';
const DISTINCT = '欧阳雪梅';
// Unique per run, so a re-run against the same data would update rather than collide.
const suffix = String(Date.now()).slice(-6);


const NAMES = [
  DISTINCT, '张建国', '李秀英', '王海波', '刘志强', '陈静', '杨帆', '赵磊', '黄丽华', '周晓东',
  '吴俊杰', '徐凤英', '孙浩然', '马国庆', '朱慧敏', '胡永刚', '郭婷婷', '何志明', '高翠兰', '林子涵',
];
const WORK = [
  ['网约车', '小汽车'],
  ['外卖', '电动车'],
  ['货运', '面包车'],
  ['快递', '电动车'],
] as const;

/** 20 good rows with Chinese headers, and one whose phone number is not a phone number. */
function workersCsv(): string {
  const lines = ['姓名,手机号,平台,平台工号,工作类型,车辆,城市,状态'];
  NAMES.forEach((name, i) => {
    const [workType, vehicle] = WORK[i % WORK.length] ?? WORK[0];
    lines.push([name, `1990000${String(i + 1).padStart(4, '0')}`, '青禾出行', `QH${suffix}${String(i + 1).padStart(3, '0')}`, workType, vehicle, '成都市', '在职'].join(','));
  });
  lines.push(['钱多多', '12345', '青禾出行', `QH${suffix}999`, '网约车', '小汽车', '成都市', '在职'].join(','));
  return `${lines.join('\n')}\n`;
}

/** The same rows as an Excel workbook, headers in English this time. */
async function workersXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Workers');
  sheet.addRow(['Name', 'Phone', 'Platform', 'Platform worker ID', 'City']);
  NAMES.forEach((name, i) => sheet.addRow([name, `1990000${String(i + 1).padStart(4, '0')}`, '青禾出行', `QH${suffix}${String(i + 1).padStart(3, '0')}`, '成都市']));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function text(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).first().textContent()) ?? '';
}

describe('import journey', () => {
  const journey = journeyEnvironment();

  test('a branch secretary imports 21 rows through the wizard (20 created, 1 rejected) and finds 欧阳雪梅 by 雪梅', async () => {
    const context = await journey.browser.newContext(desktop);
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'branch', DEMO_PASSWORD);
      await page.getByTestId('nav-imports').click();
      await page.waitForURL(/\/imports$/);
      await page.getByTestId('import-new').click();
      await page.waitForURL(/\/imports\/workers\/new$/);

      // Step 1: the file. Step 2: the columns the browser found, and the first rows.
      await page.locator('input[type=file]').setInputFiles({ name: 'workers.csv', mimeType: 'text/csv', buffer: Buffer.from(workersCsv(), 'utf8') });
      await expect.poll(() => text(page, 'import-file-name')).toBe('workers.csv');
      const preview = page.getByTestId('import-preview');
      await expect.poll(() => preview.textContent()).toContain(DISTINCT);
      expect(await preview.locator('tbody tr.ant-table-row').count()).toBe(5);
      expect(await text(page, 'import-map-name')).toContain('姓名');
      expect(await text(page, 'import-map-platformWorkerId')).toContain('平台工号');

      // Step 3: the dry run counts without writing.
      await page.getByTestId('import-dry-run-start').click();
      const dryRun = page.getByTestId('import-dry-run');
      await expect.poll(() => dryRun.getByTestId('import-status').textContent(), { timeout: 30_000 }).toBe('已完成');
      expect(await dryRun.getByTestId('import-created').textContent()).toContain('20');
      expect(await dryRun.getByTestId('import-rejected').textContent()).toContain('1');
      expect(await dryRun.getByTestId('import-errors-link').isVisible()).toBe(true);

      // The real import, followed on its own page.
      await page.getByTestId('import-start').click();
      await page.waitForURL(/\/imports\/\d+$/);
      const jobUrl = page.url();
      await expect.poll(() => text(page, 'import-status'), { timeout: 30_000 }).toBe('已完成');
      // A reload still shows the job: the address holds it.
      await page.reload();
      await expect.poll(() => text(page, 'import-status'), { timeout: 15_000 }).toBe('已完成');
      expect(page.url()).toBe(jobUrl);
      const counts = async () =>
        [await text(page, 'import-created'), await text(page, 'import-updated'), await text(page, 'import-unchanged'), await text(page, 'import-rejected')].map((s) =>
          s.replace(/\D/g, ''),
        );
      expect(await counts()).toEqual(['20', '0', '0', '1']);
      expect(await text(page, 'import-rows')).toContain('21');
      const report = await page.getByTestId('import-errors-link').getAttribute('href');
      expect(report).toMatch(/\/api\/v1\/imports\/\d+\/errors\.csv$/);
      // The error report names the bad row (line 22 of the file, row 21 of the data) and its phone.
      const reportText = await page.evaluate(async (href) => (await fetch(href ?? '')).text(), report);
      expect(reportText).toContain('phone');
      expect(reportText.split('\n').filter((line) => line.trim()).length).toBe(2);
      await saveScreenshot(page, 'import.png');

      // The imported worker is found by two characters of her name.
      await page.getByTestId('nav-workers').click();
      await page.waitForURL(/\/workers$/);
      await page.getByTestId('worker-search').locator('input').fill('雪梅');
      const table = page.getByTestId('worker-table');
      const row = table.locator('tbody tr.ant-table-row', { hasText: DISTINCT });
      await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
      expect(await row.textContent()).toContain('199****0001');
      expect(await row.textContent()).toContain('成都市');

      // The recent imports list holds the dry run and the import.
      await page.getByTestId('nav-imports').click();
      await expect.poll(() => page.getByTestId('import-list').locator('tbody tr.ant-table-row').count(), { timeout: 15_000 }).toBe(2);
    } catch (error) {
      await saveScreenshot(page, 'import-failure.png');
      throw error;
    } finally {
      await context.close();
    }
  });

  test('an Excel file is previewed in the browser too: its first rows and the columns found by their English headers', async () => {
    const context = await journey.browser.newContext(desktop);
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'branch', DEMO_PASSWORD);
      await page.goto(`${journey.server.baseUrl}/imports/workers/new`);
      const xlsxMime = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      await page.locator('input[type=file]').setInputFiles({ name: 'workers.xlsx', mimeType: xlsxMime, buffer: await workersXlsx() });
      const preview = page.getByTestId('import-preview');
      await expect.poll(() => preview.textContent()).toContain(DISTINCT);
      expect(await preview.locator('tbody tr.ant-table-row').count()).toBe(5);
      expect(await text(page, 'import-map-name')).toContain('Name');
      expect(await text(page, 'import-map-platformWorkerId')).toContain('Platform worker ID');
      await saveScreenshot(page, 'import-xlsx-preview.png');
    } finally {
      await context.close();
    }
  });

  test('the liaison board lists the branch’s members; a secretary opens one and logs a contact', async () => {
    const context = await journey.browser.newContext(desktop);
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'branch', DEMO_PASSWORD);
      await page.getByTestId('nav-liaison').click();
      await page.waitForURL(/\/liaison/);
      const members = page.getByTestId('liaison-members').locator('tbody tr.ant-table-row');
      await expect.poll(() => members.count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('coverage').isVisible(), { timeout: 15_000 }).toBe(true);

      // Auto-assign gives the freshly imported workers a liaison of their branch.
      await page.getByTestId('auto-assign').click();
      await page.getByTestId('auto-assign-confirm').click();
      await expect.poll(() => page.locator('.ant-message').textContent(), { timeout: 15_000 }).toMatch(/已分配 \d+ 人/);

      // Open the first member who looks after someone (the fourth cell holds how many).
      let busy = -1;
      for (let i = 0; i < (await members.count()) && busy < 0; i += 1) {
        if (Number(await members.nth(i).locator('td').nth(3).textContent()) > 0) busy = i;
      }
      expect(busy).toBeGreaterThanOrEqual(0);
      await members.nth(busy).locator('.ant-table-row-expand-icon').click();
      const workers = page.locator('[data-testid^="member-workers-"] tbody tr.ant-table-row');
      await expect.poll(() => workers.count(), { timeout: 15_000 }).toBeGreaterThan(0);

      await workers.first().locator('[data-testid^="contact-log-"]').click();
      const dialog = page.getByRole('dialog');
      await pickOption(page, dialog.getByTestId('contact-channel'), '', '走访');
      await dialog.getByTestId('contact-notes').fill('在司机之家见面，了解近期派单情况');
      await dialog.getByTestId('contact-demands').fill('希望服务站延长夜间开放时间');
      await dialog.getByTestId('modal-submit').click();
      await expect.poll(() => page.locator('.ant-message').textContent(), { timeout: 15_000 }).toContain('已记录联系');
      await saveScreenshot(page, 'liaison.png');
    } finally {
      await context.close();
    }
  });
});
