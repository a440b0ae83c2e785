// A driver's own data from the phone page, in Chinese: download everything Convoy holds about them as a
// spreadsheet (a real XLSX with one sheet per kind), ask for deletion with a reason, see the receipt and
// the request waiting, then withdraw it. Asked again, the branch secretary refuses it with a reason on the
// staff page, and the driver sees why. Then, logged out, the driver follows a new request by its receipt
// from the login page (in progress, then deleted: what went and what stayed, and why; in English too).
import ExcelJS from 'exceljs';
import { describe, expect, test } from 'vitest';
import { desktop, journeyEnvironment, logIn, phone, saveScreenshot } from './harness';

describe('privacy journey', () => {
  const journey = journeyEnvironment();

  test('at phone size, the demo driver downloads their data as XLSX, asks for deletion, keeps the receipt and withdraws; asked again, the secretary refuses with a reason the driver sees', async () => {
    const context = await journey.browser.newContext({ ...phone, acceptDownloads: true });
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'driver', 'convoy-demo', /\/me$/);
      const card = page.getByTestId('my-privacy');
      await card.waitFor({ state: 'visible', timeout: 20_000 });
      expect(await card.textContent()).toContain('我的个人信息');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('my-data-xlsx').click()]);
      expect(download.suggestedFilename()).toMatch(/^convoy-my-data-\d{4}-\d{2}-\d{2}\.xlsx$/);
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(await download.path());
      expect(book.worksheets.map((s) => s.name)).toEqual(expect.arrayContaining(['账号 Account', '劳动者 Worker', '诉求 Appeals']));
      const worker = book.getWorksheet('劳动者 Worker')!;
      const header = (worker.getRow(1).values as unknown[]).slice(1);
      // Their own phone number, in full: it is theirs.
      expect(worker.getRow(2).getCell(header.indexOf('phone') + 1).text).toMatch(/^1[3-9]\d{9}$/);

      await page.getByTestId('my-deletion-ask').click();
      await page.getByTestId('my-deletion-reason').fill('不再跑网约车了');
      await saveScreenshot(page, 'privacy-deletion-ask-phone.png');
      await page.getByTestId('my-deletion-confirm').click();
      const receipt = page.getByTestId('my-deletion-receipt');
      await receipt.waitFor({ state: 'visible', timeout: 15_000 });
      expect((await receipt.textContent())?.trim()).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      await page.getByRole('button', { name: '我已保存' }).click();
      // The receipt dialog must be gone before the card behind it is clicked: while it closes, its mask takes the click.
      await receipt.waitFor({ state: 'hidden', timeout: 15_000 });
      await expect.poll(() => page.getByTestId('my-deletion-status').textContent(), { timeout: 15_000 }).toBe('处理中');
      expect(await page.getByTestId('my-deletion-request').textContent()).toMatch(/将在 \d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})? 前答复/);
      // Nothing on the card sticks out sideways on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await saveScreenshot(page, 'privacy-deletion-waiting-phone.png');

      await page.getByTestId('my-deletion-withdraw').click();
      await expect.poll(() => page.getByTestId('my-deletion-status').textContent(), { timeout: 15_000 }).toBe('已撤回');
      // Withdrawn, the person may ask again.
      await page.getByTestId('my-deletion-ask').click();
      await page.getByTestId('my-deletion-confirm').click();
      await page.getByTestId('my-deletion-receipt').waitFor({ state: 'visible', timeout: 15_000 });
      await page.getByRole('button', { name: '我已保存' }).click();

      const staff = await journey.browser.newContext(desktop);
      try {
        const desk = await staff.newPage();
        await logIn(desk, journey.server.baseUrl, 'branch', 'convoy-demo');
        await desk.getByTestId('nav-privacy-requests').click();
        await desk.getByTestId('deletion-requests-page').waitFor({ state: 'visible', timeout: 20_000 });
        const reject = desk.locator('[data-testid^="deletion-reject-"]').first();
        await reject.waitFor({ state: 'visible', timeout: 15_000 });
        expect(await desk.getByTestId('deletion-requests-page').textContent()).toContain('青禾出行成都第一流动党员党支部');
        await reject.click();
        await desk.getByTestId('deletion-decision-text').fill('您的工伤诉求仍在仲裁中，相关记录须保留至结案');
        await desk.getByTestId('deletion-decide').click();
        await expect.poll(() => desk.locator('[data-testid^="deletion-reject-"]').count(), { timeout: 15_000 }).toBe(0);
        await saveScreenshot(desk, 'privacy-staff-requests-desktop.png');
      } finally {
        await staff.close();
      }

      await page.reload();
      await expect.poll(() => page.getByTestId('my-deletion-status').textContent(), { timeout: 15_000 }).toBe('未删除');
      expect(await page.getByTestId('my-deletion-request').textContent()).toContain('仲裁中');
    } finally {
      await context.close();
    }
  });

  // Last in the file: carrying the request out closes the demo driver's account.
  test('logged out on a phone, the driver follows a deletion request by its receipt from the login page: in progress, then deleted with what went and what stayed and why', async () => {
    const context = await journey.browser.newContext(phone);
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'driver', 'convoy-demo', /\/me$/);
      await page.getByTestId('my-deletion-ask').click();
      await page.getByTestId('my-deletion-confirm').click();
      const shown = page.getByTestId('my-deletion-receipt');
      await shown.waitFor({ state: 'visible', timeout: 15_000 });
      const receipt = (await shown.textContent())!.trim();
      await page.getByRole('button', { name: '我已保存' }).click();
      await context.clearCookies();

      // No login: from the login page to the receipt page, whose code never enters an address.
      await page.goto(`${journey.server.baseUrl}/login`);
      await page.getByTestId('link-deletion-receipt').click();
      await page.waitForURL(/\/privacy\/receipt$/);
      await page.getByTestId('receipt-code').fill('这不是回执码-0000000000');
      await page.getByTestId('receipt-submit').click();
      await expect.poll(() => page.getByTestId('receipt-error').textContent(), { timeout: 15_000 }).toContain('没有找到这份申请');
      await page.getByTestId('receipt-code').fill(receipt);
      await page.getByTestId('receipt-submit').click();
      await expect.poll(() => page.getByTestId('receipt-status').textContent(), { timeout: 15_000 }).toBe('处理中');
      const waiting = await page.getByTestId('receipt-result').textContent();
      expect(waiting).toContain('已收到申请');
      expect(waiting).toMatch(/将在 \d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})? 前答复/);
      expect(page.url()).not.toContain(receipt);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await saveScreenshot(page, 'privacy-receipt-waiting-phone.png');

      const staff = await journey.browser.newContext(desktop);
      try {
        const desk = await staff.newPage();
        await logIn(desk, journey.server.baseUrl, 'branch', 'convoy-demo');
        await desk.goto(`${journey.server.baseUrl}/privacy/requests`);
        const carryOut = desk.locator('[data-testid^="deletion-carry-out-"]').first();
        await carryOut.waitFor({ state: 'visible', timeout: 20_000 });
        // Just asked: not overdue, nothing in red.
        expect(await desk.locator('[data-testid^="deletion-overdue-"]').count()).toBe(0);
        await carryOut.click();
        await desk.getByTestId('deletion-decision-text').fill('已电话核实本人身份');
        await desk.getByTestId('deletion-decide').click();
        await expect.poll(() => desk.locator('[data-testid^="deletion-carry-out-"]').count(), { timeout: 15_000 }).toBe(0);
      } finally {
        await staff.close();
      }

      await page.getByTestId('receipt-submit').click();
      await expect.poll(() => page.getByTestId('receipt-status').textContent(), { timeout: 15_000 }).toBe('已删除');
      const gone = await page.getByTestId('receipt-anonymized').allTextContents();
      expect(gone.join('\n')).toContain('劳动者档案中的姓名、手机号和平台工号');
      expect(gone.join('\n')).toContain('账号（已关闭，不能再登录）');
      const kept = await page.getByTestId('receipt-kept').allTextContents();
      expect(kept.join('\n')).toContain('审计日志：依法保存的个人信息处理记录');
      expect(kept.join('\n')).toContain('统计数字');
      expect(await page.getByTestId('receipt-result').textContent()).toContain('办理说明：已电话核实本人身份');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await saveScreenshot(page, 'privacy-receipt-done-phone.png');

      // The same in English, after switching the language on the page.
      await page.getByTestId('language-switch').click();
      await expect.poll(() => page.getByTestId('receipt-status').textContent(), { timeout: 15_000 }).toBe('Deleted');
      expect((await page.getByTestId('receipt-kept').allTextContents()).join('\n')).toContain('Audit log: the record of processing personal data the law requires');

      // The account it closed no longer logs in.
      await page.goto(`${journey.server.baseUrl}/login`);
      await page.getByTestId('login-username').fill('driver');
      await page.getByTestId('login-password').fill('convoy-demo');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('login-error').waitFor({ state: 'visible', timeout: 15_000 });
      expect(page.url()).toContain('/login');
    } finally {
      await context.close();
    }
  });
});
