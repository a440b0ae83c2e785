// Appeals that reach Convoy without a worker's login, in Chinese: a driver with no account files
// anonymously from the login page on a phone (platform, city, a photo), keeps the tracking code and
// secret link, and follows it through /track; and the branch secretary records a phone call from the
// inbox, lands on the new appeal and finds it in the inbox.
import { deflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { desktop, journeyEnvironment, logIn, phone, pickOption, saveScreenshot } from './harness';

const DEMO_PASSWORD = 'convoy-demo';
// The demo secretary's branch: a call she takes stays there.
const SECRETARY_BRANCH = '青禾出行成都第一流动党员党支部';
const stamp = String(Date.now()).slice(-6);
const ANONYMOUS_TEXT = `东站网约车上客区被划成禁停区，每次接人都被拍照罚款两百元。（匿名来访${stamp}）`;
const CALL_TEXT = `来电：夜里在火车东站被醉酒乘客纠缠，平台客服电话一直打不通，希望增加巡逻。（来电${stamp}）`;

/** A real 8×8 grey PNG, made here so no file is needed (the photo checks read the bytes, not the name). */
function greyPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (bytes: Buffer) => {
    let crc = 0xffffffff;
    for (const byte of bytes) crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(8, 0);
  header.writeUInt32BE(8, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const rows = Buffer.concat(Array.from({ length: 8 }, () => Buffer.from([0, ...Array<number>(8).fill(128)])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

describe('appeals without a worker’s login', () => {
  const journey = journeyEnvironment();

  test('logged out on a phone, a driver files anonymously from the login page, gets the code and secret link, and follows it via /track', async () => {
    const context = await journey.browser.newContext(phone);
    const page = await context.newPage();
    try {
      await page.goto(`${journey.server.baseUrl}/login`);
      await page.getByTestId('link-report').click();
      await page.waitForURL(/\/report$/);
      // Always anonymous here: no switch, only the promise.
      expect(await page.getByTestId('appeal-anonymous').count()).toBe(0);
      expect(await page.getByTestId('appeal-anonymous-card').textContent()).toContain('不会记录您是谁');

      await pickOption(page, page.getByTestId('report-platform'), '青禾', '青禾出行');
      await pickOption(page, page.getByTestId('report-city'), '成都', '成都');
      await page.getByTestId('category-traffic_parking').click();
      await page.getByTestId('appeal-description').fill(ANONYMOUS_TEXT);
      await page.getByTestId('appeal-address').fill('成都东站网约车上客区');
      await page.getByTestId('photo-input').setInputFiles({ name: '罚单.png', mimeType: 'image/png', buffer: greyPng() });
      await expect.poll(() => page.getByTestId('photo-thumb').count(), { timeout: 15_000 }).toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await saveScreenshot(page, 'appeal-report-phone.png');

      await page.getByTestId('appeal-submit').click();
      const filed = page.getByTestId('filed-result');
      await filed.waitFor({ state: 'visible', timeout: 20_000 });
      const code = ((await page.getByTestId('filed-code').textContent()) ?? '').trim();
      expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      const link = ((await page.getByTestId('filed-link').textContent()) ?? '').trim();
      expect(link).toMatch(new RegExp(`^${journey.server.baseUrl}/track/${code}\\?s=[A-Za-z0-9_-]{20,}$`));
      expect(await page.getByTestId('filed-holder').textContent()).toContain('青禾出行成都');
      expect(await filed.getByTestId('photos-retry').count()).toBe(0);
      await saveScreenshot(page, 'appeal-report-filed-phone.png');

      // Following the secret link: the appeal, its photo, and the right to add to it, still logged out.
      await page.getByTestId('filed-follow').click();
      await page.waitForURL(/\/track\/[A-Z2-9-]+\?s=/);
      const view = page.getByTestId('worker-appeal');
      await expect.poll(() => view.getByTestId('appeal-status').first().textContent(), { timeout: 15_000 }).toBe('已提交');
      expect(await view.textContent()).toContain(`匿名来访${stamp}`);
      expect(await page.getByTestId('add-info-card').count()).toBe(1);
      await expect.poll(() => view.locator('img').count(), { timeout: 15_000 }).toBe(1);

      // Later, from /track: this phone remembers the appeal; one tap opens it with its secret.
      await page.goto(`${journey.server.baseUrl}/track`);
      const remembered = page.getByTestId('track-remembered-item').filter({ hasText: code });
      await expect.poll(() => remembered.count(), { timeout: 15_000 }).toBe(1);
      expect(await page.getByTestId('link-report').count()).toBe(1);
      await remembered.click();
      await page.waitForURL(new RegExp(`/track/${code}\\?s=`));
      await expect.poll(() => page.getByTestId('worker-appeal').textContent(), { timeout: 15_000 }).toContain(`匿名来访${stamp}`);
      expect(await page.getByTestId('add-info-card').count()).toBe(1);
      await saveScreenshot(page, 'appeal-report-track-phone.png');
    } finally {
      await context.close();
    }

    // Nobody in Convoy sees who filed it: the secretary's view names no filer.
    const desk = await journey.browser.newContext(desktop);
    const secretary = await desk.newPage();
    try {
      await logIn(secretary, journey.server.baseUrl, 'branch', DEMO_PASSWORD);
      const found = await secretary.evaluate(async (text) => {
        const response = await fetch('/api/v1/appeals?category=traffic_parking&status=submitted&limit=200');
        const page = (await response.json()) as { items: { id: number; summary: string; anonymous: boolean }[] };
        return page.items.find((i) => i.summary.includes(text)) ?? null;
      }, `匿名来访${stamp}`);
      expect(found?.anonymous).toBe(true);
      await secretary.goto(`${journey.server.baseUrl}/appeals/${found?.id}`);
      await expect.poll(() => secretary.getByTestId('filer-anonymous').count(), { timeout: 15_000 }).toBe(1);
      expect(await secretary.getByTestId('filer').count()).toBe(0);
    } finally {
      await desk.close();
    }
  });

  test('the branch secretary records a phone call from the inbox, lands on the appeal and sees it in the inbox', async () => {
    const context = await journey.browser.newContext(desktop);
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'branch', DEMO_PASSWORD);
      await page.getByTestId('nav-appeals').click();
      await page.waitForURL(/\/appeals$/);
      await page.getByTestId('record-call').click();
      const modal = page.getByTestId('record-call-modal');
      // The data-testid lands on antd's zero-sized modal root; wait for the form inside instead.
      await modal.getByTestId('call-description').waitFor({ state: 'visible' });
      // The call is taken at her branch, and its platform and city are filled in from it.
      expect(await modal.getByTestId('call-unit').textContent()).toContain(SECRETARY_BRANCH);
      await expect.poll(() => modal.getByTestId('platform-select').textContent(), { timeout: 15_000 }).toContain('青禾出行');
      await expect.poll(() => modal.getByTestId('city-select').textContent(), { timeout: 15_000 }).toContain('成都');

      await pickOption(page, modal.getByTestId('call-category'), '安全', '人身安全');
      await modal.getByTestId('call-description').fill(CALL_TEXT);
      await modal.getByTestId('call-name').fill('赵师傅');
      await modal.getByTestId('call-phone').fill('1391234');
      await page.getByTestId('call-submit').click();
      // A number that cannot be a mobile one is caught before anything is sent.
      await expect.poll(() => modal.textContent(), { timeout: 15_000 }).toContain('手机号应为 11 位数字');
      await modal.getByTestId('call-phone').fill('13912345678');
      await saveScreenshot(page, 'appeal-record-call.png');
      await page.getByTestId('call-submit').click();

      await page.waitForURL(/\/appeals\/\d+$/, { timeout: 20_000 });
      const appealId = Number(/\/appeals\/(\d+)$/.exec(page.url())?.[1]);
      expect(appealId).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('appeal-description').textContent(), { timeout: 15_000 }).toBe(CALL_TEXT);
      expect(await page.getByTestId('appeal-holder').textContent()).toBe(SECRETARY_BRANCH);
      expect(await page.getByTestId('filer').textContent()).toContain('赵师傅 · 139****5678');
      expect(await page.getByTestId('handler-header').textContent()).toContain('电话记录');
      expect(await page.getByTestId('handler-header').getByTestId('appeal-status').textContent()).toBe('待受理');
      await saveScreenshot(page, 'appeal-call-detail.png');

      await page.getByTestId('nav-appeals').click();
      await page.waitForURL(/\/appeals(\?.*)?$/);
      const table = page.getByTestId('inbox-table');
      await pickOption(page, page.getByTestId('inbox-filter-category'), '安全', '人身安全');
      await pickOption(page, page.getByTestId('inbox-filter-status'), '待受理', '待受理');
      await expect.poll(() => table.getByTestId(`appeal-link-${appealId}`).count(), { timeout: 15_000 }).toBe(1);
      const row = table.locator('tbody tr.ant-table-row', { has: page.getByTestId(`appeal-link-${appealId}`) });
      expect(await row.textContent()).toContain('待受理');
      expect(await row.textContent()).toContain(SECRETARY_BRANCH);

      // The same caller rings again about the same thing (recorded here through the API): the secretary
      // merges the second call into the first, picking it from the possible duplicates.
      const secondId = await page.evaluate(
        async ({ first, text }) => {
          const csrf = decodeURIComponent(/(?:^|; )convoy_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? '');
          const detail = (await (await fetch(`/api/v1/appeals/${first}`)).json()) as { platformId: number; cityCode: string; unitId: number };
          const response = await fetch('/api/v1/appeals', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
            body: JSON.stringify({ category: 'safety', description: text, anonymous: false, contactName: '赵师傅', platformId: detail.platformId, cityCode: detail.cityCode, unitId: detail.unitId }),
          });
          if (response.status !== 201) throw new Error(`second call: HTTP ${response.status}`);
          return ((await response.json()) as { id: number }).id;
        },
        { first: appealId, text: `赵师傅又来电，还是东站醉酒乘客的事。（来电${stamp}·第二通）` },
      );
      await page.goto(`${journey.server.baseUrl}/appeals/${secondId}`);
      await page.getByTestId('transition-merged').click();
      await page.getByTestId(`merge-into-${appealId}`).click();
      expect(await page.getByTestId('transition-merged-into').inputValue()).toBe(String(appealId));
      await page.getByTestId('transition-reason').fill('同一来电人反映的同一件事，并入第一通来电一起办理。');
      await saveScreenshot(page, 'appeal-merge.png');
      await page.getByTestId('transition-submit').click();
      const status = page.getByTestId('handler-header').getByTestId('appeal-status');
      await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe('已合并');
      await page.goto(`${journey.server.baseUrl}/appeals/${appealId}`);
      await expect.poll(() => page.getByTestId('appeal-timeline').textContent(), { timeout: 15_000 }).toContain(`#${secondId}`);
    } finally {
      await context.close();
    }
  });

  test('a call from a worker on record is filed under the worker’s name, and the worker sees it among their appeals', async () => {
    const desk = await journey.browser.newContext(desktop);
    const phoneContext = await journey.browser.newContext(phone);
    const page = await desk.newPage();
    const driver = await phoneContext.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'branch', DEMO_PASSWORD);
      await page.goto(`${journey.server.baseUrl}/appeals`);
      await page.getByTestId('record-call').click();
      const modal = page.getByTestId('record-call-modal');
      await modal.getByTestId('call-description').waitFor({ state: 'visible' });
      await pickOption(page, modal.getByTestId('call-worker'), '海涛', '王海涛');
      // The record names the caller: no name or number to type.
      await expect.poll(() => modal.getByTestId('call-name').count()).toBe(0);
      await pickOption(page, modal.getByTestId('call-category'), '保险', '保险与工伤');
      await modal.getByTestId('call-description').fill(`王师傅来电：送客途中被追尾受伤，平台保险不予理赔。（登记来电${stamp}）`);
      await page.getByTestId('call-submit').click();
      await page.waitForURL(/\/appeals\/\d+$/, { timeout: 20_000 });
      const appealId = Number(/\/appeals\/(\d+)$/.exec(page.url())?.[1]);
      await expect.poll(() => page.getByTestId('filer').textContent(), { timeout: 15_000 }).toMatch(/王海涛 · 1\d\d\*\*\*\*\d{4}/);
      expect(await page.getByTestId('handler-header').textContent()).toContain('电话记录');

      await logIn(driver, journey.server.baseUrl, 'driver', DEMO_PASSWORD, /\/me$/);
      await driver.goto(`${journey.server.baseUrl}/me/appeals`);
      const card = driver.getByTestId('my-appeal-card').filter({ hasText: `登记来电${stamp}` });
      await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(1);
      await card.click();
      await driver.waitForURL(new RegExp(`/me/appeals/${appealId}$`));
    } finally {
      await desk.close();
      await phoneContext.close();
    }
  });
});
