// The appeal mechanism end to end, in Chinese: the demo driver files an appeal about fees with a photo
// on a phone; the branch secretary finds it in the inbox, acknowledges it, replies and answers it (a
// stale page is refused with 409 on the way); the driver reads the reply and confirms with five stars.
// And an anonymous filer, logged out, follows theirs by tracking code and secret.
import { deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { desktop, journeyEnvironment, logIn, phone, pickOption, saveScreenshot } from './harness';

const DEMO_PASSWORD = 'convoy-demo';
// The demo driver's serving branch, which is also where their liaison member sits: appeals go there.
const DRIVER_BRANCH = '青禾出行成都第一流动党员党支部';
// Different on every run, so the test finds its own appeal among the seeded ones.
const stamp = String(Date.now()).slice(-6);
const DESCRIPTION = `这周平台把抽成从百分之二十提高到了百分之二十八，没有提前通知，一天少挣六七十元。（测试${stamp}）`;
const REPLY = '您好，支部已就抽成调整向平台企业党委反映，平台答复本周内恢复原比例，并补发差额。';
const INTERNAL_NOTE = '已电话联系平台运营，对方承认调整未经公示。';
const ANSWER = '平台已恢复百分之二十的抽成比例，本周差额将于周五前补发到账户。';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real 32×24 PNG (red and white stripes, like a fee screenshot's banner), made here so no file is needed. */
function stripedPng(width = 32, height = 24): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const rows = Array.from({ length: height }, (_, y) => {
    const row = Buffer.alloc(1 + width * 3); // filter byte 0, then RGB
    for (let x = 0; x < width; x++) row.set(Math.floor(y / 4) % 2 === 0 ? [192, 57, 43] : [255, 255, 255], 1 + x * 3);
    return row;
  });
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

async function logInDriver(page: Page, baseUrl: string): Promise<void> {
  await logIn(page, baseUrl, 'driver', DEMO_PASSWORD, /\/me$/);
}

async function noSidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

describe('appeals journey', () => {
  const journey = journeyEnvironment();

  test('a browser test at phone size: a driver files an appeal in Chinese with a photo; the secretary replies; the driver sees the reply and confirms', async () => {
    const phoneContext = await journey.browser.newContext(phone);
    const deskContext = await journey.browser.newContext(desktop);
    const driver = await phoneContext.newPage();
    const secretary = await deskContext.newPage();
    try {
      // The driver, at a red light: menu → 反映诉求.
      await logInDriver(driver, journey.server.baseUrl);
      await driver.getByTestId('nav-toggle').click();
      await driver.getByTestId('nav-file-appeal').click();
      await driver.waitForURL(/\/me\/appeals\/new$/);
      await driver.getByTestId('category-income_fees').click();
      expect(await driver.getByTestId('category-income_fees').textContent()).toContain('收入与抽成');
      await driver.getByTestId('appeal-description').fill(DESCRIPTION);
      await driver.getByTestId('photo-input').setInputFiles({ name: '抽成截图.png', mimeType: 'image/png', buffer: stripedPng() });
      await expect.poll(() => driver.getByTestId('photo-thumb').count(), { timeout: 15_000 }).toBe(1);
      const submit = await driver.getByTestId('appeal-submit').boundingBox();
      expect(submit && submit.height >= 44 && submit.width > 300).toBe(true);
      expect(await noSidewaysScroll(driver)).toBeLessThanOrEqual(390);
      await saveScreenshot(driver, 'appeal-file-phone.png');

      await driver.getByTestId('appeal-submit').click();
      const filed = driver.getByTestId('filed-result');
      await filed.waitFor({ state: 'visible', timeout: 20_000 });
      expect(await driver.getByTestId('filed-holder').textContent()).toContain(DRIVER_BRANCH);
      expect(await driver.getByTestId('filed-expected').textContent()).toMatch(/预计 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 前答复/);
      // The photo went up after the appeal: no warning about photos left behind.
      expect(await filed.getByTestId('photos-retry').count()).toBe(0);
      const followHref = (await filed.locator('a').first().getAttribute('href')) ?? '';
      const appealId = Number(/\/me\/appeals\/(\d+)$/.exec(followHref)?.[1]);
      expect(appealId).toBeGreaterThan(0);
      await saveScreenshot(driver, 'appeal-filed-phone.png');

      // The secretary starts the day at the inbox, narrows it to new fee appeals and finds it.
      await logIn(secretary, journey.server.baseUrl, 'branch', DEMO_PASSWORD);
      await secretary.getByTestId('nav-appeals').click();
      await secretary.waitForURL(/\/appeals$/);
      const table = secretary.getByTestId('inbox-table');
      await expect.poll(() => table.locator('tbody tr.ant-table-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await pickOption(secretary, secretary.getByTestId('inbox-filter-category'), '收入', '收入与抽成');
      await pickOption(secretary, secretary.getByTestId('inbox-filter-status'), '待受理', '待受理');
      // Wait for the filtered list itself, not the previous one kept on screen while it loads.
      await expect
        .poll(async () => {
          const statuses = await table.locator('tbody tr.ant-table-row').getByTestId('appeal-status').allTextContents();
          return statuses.length > 0 && statuses.every((s) => s === '待受理');
        }, { timeout: 15_000 })
        .toBe(true);
      const row = table.locator('tbody tr.ant-table-row', { has: secretary.getByTestId(`appeal-link-${appealId}`) });
      await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
      expect(await row.textContent()).toContain('收入与抽成');
      expect(await row.textContent()).toContain(DRIVER_BRANCH);
      expect(await row.textContent()).toContain('待受理');
      await saveScreenshot(secretary, 'appeals-inbox.png');

      // Open it: the description, the photo, the driver's masked phone.
      await secretary.getByTestId(`appeal-link-${appealId}`).click();
      await secretary.waitForURL(new RegExp(`/appeals/${appealId}$`));
      await expect.poll(() => secretary.getByTestId('appeal-description').textContent(), { timeout: 15_000 }).toBe(DESCRIPTION);
      expect(await secretary.getByTestId('appeal-photos').locator('img').count()).toBe(1);
      expect(await secretary.getByTestId('filer').textContent()).toMatch(/王海涛 · 1\d\d\*\*\*\*\d{4}/);

      // Acknowledge, reply publicly, answer it as resolved.
      const status = secretary.getByTestId('handler-header').getByTestId('appeal-status');
      await secretary.getByTestId('transition-acknowledged').click();
      await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe('已受理');
      await secretary.getByTestId('reply-body').fill(REPLY);
      await secretary.getByTestId('reply-submit').click();
      await expect.poll(() => secretary.getByTestId('appeal-timeline').textContent(), { timeout: 15_000 }).toContain(REPLY);
      // A colleague adds an internal note meanwhile: the page's version is now stale, and the server says so.
      await secretary.evaluate(
        async ({ id, body }) => {
          const csrf = decodeURIComponent(/(?:^|; )convoy_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? '');
          const response = await fetch(`/api/v1/appeals/${id}/replies`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
            body: JSON.stringify({ body, visibility: 'internal' }),
          });
          if (!response.ok) throw new Error(`note: HTTP ${response.status}`);
        },
        { id: appealId, body: INTERNAL_NOTE },
      );
      await secretary.getByTestId('transition-resolved').click();
      await secretary.getByTestId('transition-reason').fill(ANSWER);
      await secretary.getByTestId('transition-submit').click();
      await expect.poll(() => secretary.locator('.ant-notification').textContent(), { timeout: 15_000 }).toContain('刚被别人改过');
      // The page has read the appeal again meanwhile (the note shows, set apart); the same answer now goes through.
      await expect.poll(() => secretary.getByTestId('timeline-internal').filter({ hasText: INTERNAL_NOTE }).count(), { timeout: 15_000 }).toBe(1);
      await secretary.getByTestId('transition-submit').click();
      await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe('已解决');
      expect(await secretary.getByTestId('appeal-timeline').textContent()).toContain(ANSWER);
      await saveScreenshot(secretary, 'appeal-detail.png');

      // Back on the phone: the bell counts the news, and its list names the appeal.
      await driver.goto(`${journey.server.baseUrl}/me/appeals`);
      const bell = driver.getByTestId('notifications-bell');
      await expect.poll(() => bell.getAttribute('aria-label'), { timeout: 15_000 }).toMatch(/^通知（[1-9]\d* 条未读）$/);
      await bell.click();
      const news = driver.getByTestId('notification-item').filter({ hasText: `#${appealId}` });
      await expect.poll(() => news.count(), { timeout: 15_000 }).toBeGreaterThan(0);
      expect(await driver.getByTestId('notifications-panel').textContent()).toContain('已解决');
      await driver.keyboard.press('Escape');
      await news.first().waitFor({ state: 'hidden' });

      // My appeals marks it as waiting for the driver's verdict.
      const card = driver.getByTestId('my-appeal-card').filter({ hasText: `测试${stamp}` });
      await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(1);
      expect(await card.getByTestId('appeal-status').textContent()).toBe('已解决');
      expect(await card.getByTestId('awaiting-feedback').count()).toBe(1);
      await card.click();
      await driver.waitForURL(new RegExp(`/me/appeals/${appealId}$`));
      const timeline = driver.getByTestId('appeal-timeline');
      await expect.poll(() => timeline.textContent(), { timeout: 15_000 }).toContain(REPLY);
      expect(await timeline.textContent()).toContain(ANSWER);
      expect(await driver.getByTestId('appeal-holder').textContent()).toBe(DRIVER_BRANCH);
      // Internal names stay with the handlers: the driver sees the branch, never the secretary.
      expect(await driver.getByTestId('worker-appeal').textContent()).not.toContain('刘晓燕');
      expect(await driver.getByTestId('worker-appeal').textContent()).not.toContain(INTERNAL_NOTE);

      await driver.getByTestId('feedback-rate').locator('li').nth(4).locator('div[role="radio"]').click();
      await driver.getByTestId('feedback-submit').click();
      const driverStatus = driver.getByTestId('worker-appeal').getByTestId('appeal-status').first();
      await expect.poll(() => driverStatus.textContent(), { timeout: 15_000 }).toBe('已确认');
      expect(await driver.getByTestId('feedback-card').count()).toBe(0);
      expect(await timeline.textContent()).toContain('评价 5 星');
      expect(await noSidewaysScroll(driver)).toBeLessThanOrEqual(390);
      await saveScreenshot(driver, 'appeal-confirmed-phone.png');
    } finally {
      await phoneContext.close();
      await deskContext.close();
    }
  });

  test('logged out, an anonymous filer follows their appeal by /track/CODE?s=SECRET', async () => {
    // File anonymously through the API as the driver would (platform and city come from their record).
    const login = await fetch(`${journey.server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'driver', password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const filing = await fetch(`${journey.server.baseUrl}/api/v1/appeals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken, 'idempotency-key': `e2e-anonymous-${stamp}` },
      body: JSON.stringify({ category: 'account_penalties', description: `乘客恶意差评导致封号三天，申诉无人处理。（匿名${stamp}）`, anonymous: true }),
    });
    expect(filing.status).toBe(201);
    const created = (await filing.json()) as { trackingCode: string; secret: string; unitName: string };

    const context = await journey.browser.newContext(phone);
    const page = await context.newPage();
    try {
      await page.goto(`${journey.server.baseUrl}/track/${created.trackingCode}?s=${encodeURIComponent(created.secret)}`);
      const view = page.getByTestId('worker-appeal');
      await expect.poll(() => view.getByTestId('appeal-status').first().textContent(), { timeout: 15_000 }).toBe('已提交');
      expect(await page.getByTestId('appeal-holder').textContent()).toBe(created.unitName);
      expect(await view.textContent()).toContain(`匿名${stamp}`);
      // With the secret the filer may add to it; still no login page in sight.
      expect(await page.getByTestId('add-info-card').count()).toBe(1);
      expect(page.url()).toContain('/track/');
      await saveScreenshot(page, 'appeal-track-phone.png');

      // The code alone, typed on the entry page, shows the progress but allows nothing more.
      await page.goto(`${journey.server.baseUrl}/track`);
      await page.getByTestId('track-code').fill(created.trackingCode.toLowerCase());
      await page.getByTestId('track-submit').click();
      await expect.poll(() => page.getByTestId('appeal-status').first().textContent(), { timeout: 15_000 }).toBe('已提交');
      expect(await page.getByTestId('add-info-card').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
