// Stations end to end, in Chinese: a branch secretary adds a station with an overnight range and a
// holiday closure, finds it in the list and on the offline map, and opens its printable QR code. On a
// phone in Chengdu the driver opens 附近驿站, asks for charging and open now, gets the nearest first with
// navigation links in converted coordinates, rates one, reports a problem, and checks in by scanning
// the new station's code — sent to the login page first, and brought back. The secretary also adds a
// photo to the station, and finds the driver's check-in in the visit figures.
import gcoord from 'gcoord';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { desktop, journeyEnvironment, logIn, phone, pickOption, saveScreenshot } from './harness';

const DEMO_PASSWORD = 'convoy-demo';
// Different on every run, so the test finds its own station among the seeded ones.
const stamp = String(Date.now()).slice(-6);
const STATION_NAME = `青禾出行司机之家（春熙路测试${stamp}）`;
const ADDRESS = '成都市锦江区春熙路南段 8 号';
// Near Chunxi Road, in the centre of Chengdu (WGS-84).
const POSITION = { lat: 30.6551, lng: 104.0801 };
const DRIVER_AT = { latitude: 30.6595, longitude: 104.0657 };
// A real 8 × 8 blue PNG, small enough to keep here; the server sniffs its signature.
const PHOTO_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGMQK/+PFTEMLQkAdMJjATQI9/EAAAAASUVORK5CYII=', 'base64');

type StationJson = {
  id: number;
  name: string;
  kind: string;
  location: { lat: number; lng: number };
  gcj02: { lat: number; lng: number };
  bd09: { lat: number; lng: number };
  services: string[];
  photos: { id: number; url: string; contentType: string }[];
  hours: { weekly: Record<string, { opens: string; closes: string }[]>; exceptions: unknown[] };
};

async function stationJson(page: Page, baseUrl: string, id: number): Promise<StationJson> {
  const response = await page.request.get(`${baseUrl}/api/v1/stations/${id}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as StationJson;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

describe('stations journey', () => {
  const journey = journeyEnvironment();
  let created: { id: number; checkInPath: string } | null = null;

  test('a branch secretary adds a station with overnight hours and a holiday closure, sees it in the list and on the map, and prints its QR code', async () => {
    const context = await journey.browser.newContext(desktop);
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'branch', DEMO_PASSWORD);
      await page.getByTestId('nav-stations').click();
      await page.waitForURL(/\/stations$/);
      await expect.poll(() => page.getByTestId('station-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);

      await page.getByTestId('station-new').click();
      await page.waitForURL(/\/stations\/new$/);
      await page.getByTestId('station-name').fill(STATION_NAME);
      await pickOption(page, page.getByTestId('station-kind'), '司机', '司机之家');
      await page.getByTestId('station-address').fill(ADDRESS);
      await page.getByTestId('station-lat').fill(String(POSITION.lat));
      await page.getByTestId('station-lng').fill(String(POSITION.lng));
      const picker = page.getByTestId('station-services-picker');
      for (const service of ['ev_charging', 'toilet', 'hot_water']) await picker.locator(`[data-service="${service}"]`).click();
      // The preview map names the new point among the others.
      await expect.poll(() => page.getByTestId('station-position-preview').locator('text', { hasText: STATION_NAME }).count(), { timeout: 15_000 }).toBeGreaterThan(0);

      // Friday evening into Saturday morning: an overnight range.
      const friday = page.getByTestId('hours-ranges-fri');
      await friday.getByTestId('hours-opens').first().fill('18:00');
      await friday.getByTestId('hours-closes').first().fill('02:00');
      await expect.poll(() => friday.getByTestId('hours-overnight').textContent(), { timeout: 15_000 }).toBe('次日');
      // New Year's Day closed all day.
      await page.getByTestId('hours-add-exception').click();
      const holiday = page.getByTestId('hours-exception').first();
      await holiday.getByTestId('exception-from').fill('2027-01-01');
      await holiday.getByTestId('exception-to').fill('2027-01-01');
      await holiday.getByTestId('exception-note').fill('元旦');
      await page.getByTestId('station-save').click();
      await page.waitForURL(/\/stations\/\d+$/);
      const id = Number(/\/stations\/(\d+)$/.exec(page.url())?.[1]);

      const saved = await stationJson(page, journey.server.baseUrl, id);
      expect(saved).toMatchObject({ name: STATION_NAME, kind: 'driver_home', location: POSITION, services: ['hot_water', 'ev_charging', 'toilet'] });
      expect(saved.hours.weekly.fri).toEqual([{ opens: '18:00', closes: '02:00' }]);
      expect(saved.hours.weekly.thu).toEqual([{ opens: '08:00', closes: '20:00' }]);
      expect(saved.hours.exceptions).toEqual([{ from: '2027-01-01', to: '2027-01-01', ranges: [], note: '元旦' }]);
      // The editor reads back what was stored.
      await page.reload();
      await expect.poll(() => page.getByTestId('hours-ranges-fri').getByTestId('hours-closes').first().inputValue(), { timeout: 15_000 }).toBe('02:00');
      await expect.poll(() => page.getByTestId('hours-exception').getByTestId('exception-note').inputValue(), { timeout: 15_000 }).toBe('元旦');

      // A photo of the station: uploaded from the editor, shown there, and served by the station's detail.
      await page.getByTestId('station-photo-input').setInputFiles({ name: 'station.png', mimeType: 'image/png', buffer: PHOTO_PNG });
      const photo = page.getByTestId('station-photo').locator('img');
      await expect.poll(() => photo.count(), { timeout: 15_000 }).toBe(1);
      await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 15_000 }).toBe(8);
      const withPhoto = await stationJson(page, journey.server.baseUrl, id);
      expect(withPhoto.photos).toHaveLength(1);
      expect(withPhoto.photos[0]?.contentType).toBe('image/png');
      const served = await page.request.get(`${journey.server.baseUrl}${withPhoto.photos[0]?.url}`);
      expect(served.status()).toBe(200);
      expect(Buffer.from(await served.body()).equals(PHOTO_PNG)).toBe(true);
      await saveScreenshot(page, 'stations-editor-photo.png');
      // …and removed again: gone from the editor, the detail and the server.
      await page.getByTestId('station-photo-remove').click();
      await page.getByTestId('station-photo-remove-confirm').click();
      await expect.poll(() => page.getByTestId('station-photo').count(), { timeout: 15_000 }).toBe(0);
      expect((await stationJson(page, journey.server.baseUrl, id)).photos).toEqual([]);
      expect((await page.request.get(`${journey.server.baseUrl}${withPhoto.photos[0]?.url}`)).status()).toBe(404);
      await page.getByTestId('station-photo-input').setInputFiles({ name: 'station.png', mimeType: 'image/png', buffer: PHOTO_PNG });
      await expect.poll(() => page.getByTestId('station-photo').count(), { timeout: 15_000 }).toBe(1);

      await page.goto(`${journey.server.baseUrl}/stations`);
      await page.getByTestId('station-search').locator('input').fill(`测试${stamp}`);
      const row = page.locator(`[data-testid="station-row"][data-station-id="${id}"]`);
      await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
      await expect.poll(() => row.getByTestId('station-row-name').textContent(), { timeout: 15_000 }).toBe(STATION_NAME);
      await saveScreenshot(page, 'stations-list.png');

      await row.getByTestId('station-row-map').click();
      await page.waitForURL(/\/stations\/map\?focus=\d+$/);
      const map = page.getByTestId('station-map');
      await expect.poll(() => map.locator('text', { hasText: STATION_NAME }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await expect.poll(async () => Number(await map.getAttribute('data-station-count')), { timeout: 15_000 }).toBeGreaterThan(100);
      await map.locator('text', { hasText: '成都' }).first().waitFor({ state: 'visible', timeout: 15_000 });
      await saveScreenshot(page, 'stations-map.png');

      await page.goto(`${journey.server.baseUrl}/stations/${id}/qr`);
      await expect.poll(() => page.getByTestId('station-qr-name').textContent(), { timeout: 15_000 }).toBe(STATION_NAME);
      await expect.poll(() => page.getByTestId('station-qr-address').textContent(), { timeout: 15_000 }).toBe(ADDRESS);
      await page.getByText('扫码签到').first().waitFor({ state: 'visible', timeout: 15_000 });
      await expect.poll(() => page.getByTestId('station-qr-image').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 15_000 }).toBe(true);
      const url = (await page.getByTestId('station-qr-url').innerText()).trim();
      expect(url).toMatch(new RegExp(`^${journey.server.baseUrl}/s/${id}\\?t=[A-Za-z0-9_-]{16,}$`));
      await saveScreenshot(page, 'stations-qr.png');
      created = { id, checkInPath: url.slice(journey.server.baseUrl.length) };
    } finally {
      await context.close();
    }
  });

  test('a browser test at phone size: the driver finds the nearest open station with charging, navigates, rates, reports a problem and checks in by QR code', async () => {
    expect(created).not.toBeNull();
    const station = created as { id: number; checkInPath: string };
    const context = await journey.browser.newContext({ ...phone, geolocation: DRIVER_AT, permissions: ['geolocation'] });
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'driver', DEMO_PASSWORD, /\/me$/);
      await page.getByTestId('my-stations-link').click();
      await page.waitForURL(/\/me\/stations/);
      await expect.poll(() => page.getByTestId('station-origin').getAttribute('data-origin'), { timeout: 15_000 }).toBe('located');
      await expect.poll(() => page.getByTestId('station-origin').textContent(), { timeout: 15_000 }).toBe('按您当前位置查找');

      await page.getByTestId('station-service-filter').locator('[data-service="ev_charging"]').click();
      await page.getByTestId('station-open-now').click();
      const list = page.locator('[data-testid="station-list"][data-filter="ev_charging|open"]');
      await expect.poll(() => list.getByTestId('station-item').count(), { timeout: 15_000 }).toBeGreaterThan(1);
      const items = list.getByTestId('station-item');
      const distances = (await items.evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-distance')))));
      expect(distances).toEqual([...distances].sort((a, b) => a - b));
      for (const open of await items.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-open')))) expect(open).toBe('true');
      for (const count of await items.evaluateAll((nodes) => nodes.map((n) => n.querySelectorAll('[data-service="ev_charging"]').length))) expect(count).toBe(1);
      const first = items.first();
      await expect.poll(() => first.getByTestId('station-open-state').textContent(), { timeout: 15_000 }).toBe('营业中');
      await expect.poll(async () => first.getByTestId('station-distance').textContent(), { timeout: 15_000 }).toMatch(/^\d+(\.\d)? (米|公里)$/);
      await expect.poll(() => first.getByTestId('station-hours-today').textContent(), { timeout: 15_000 }).toContain('今日');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await saveScreenshot(page, 'stations-nearby-phone.png');

      // The links carry the position converted from the stored WGS-84: GCJ-02 for AMap, BD-09 for Baidu.
      const nearestId = Number(await first.getAttribute('data-station-id'));
      const nearest = await stationJson(page, journey.server.baseUrl, nearestId);
      const [gLng, gLat] = gcoord.transform<[number, number]>([nearest.location.lng, nearest.location.lat], gcoord.WGS84, gcoord.GCJ02);
      const [bLng, bLat] = gcoord.transform<[number, number]>([nearest.location.lng, nearest.location.lat], gcoord.WGS84, gcoord.BD09);
      const amap = new URL((await first.getByTestId('station-nav-amap').getAttribute('href')) ?? '');
      const baidu = new URL((await first.getByTestId('station-nav-baidu').getAttribute('href')) ?? '');
      expect(amap.host).toBe('uri.amap.com');
      expect(amap.searchParams.get('position')).toBe(`${round6(gLng)},${round6(gLat)}`);
      expect(amap.searchParams.get('coordinate')).toBe('gaode');
      expect(baidu.host).toBe('api.map.baidu.com');
      expect(baidu.searchParams.get('location')).toBe(`${round6(bLat)},${round6(bLng)}`);
      expect(baidu.searchParams.get('coord_type')).toBe('bd09ll');
      expect(Math.abs(round6(gLng) - nearest.location.lng)).toBeGreaterThan(0.001);

      // A rating and a problem report from the same card; the report becomes the driver's appeal.
      await first.getByTestId('station-rate').click();
      // The modal zooms in; a tap during the animation may miss the star, so tap again until it counts.
      const fifthStar = page.getByTestId('station-rate-stars').locator('.ant-rate-star').nth(4);
      const sendRating = page.getByTestId('station-rate-submit');
      await expect
        .poll(async () => {
          if (!(await sendRating.isEnabled())) await fifthStar.click();
          return sendRating.isEnabled();
        }, { timeout: 15_000 })
        .toBe(true);
      await sendRating.click();
      await page.getByText(/谢谢！当前评分/).first().waitFor({ state: 'visible', timeout: 15_000 });
      await first.getByTestId('station-report').click();
      await page.getByTestId('station-report-text').fill('热水器坏了，已经三天没有热水。');
      await page.getByTestId('station-report-submit').click();
      await expect.poll(() => page.getByTestId('station-report-filed').textContent(), { timeout: 15_000 }).toContain('已提交');
      await page.getByTestId('station-report-appeal-link').click();
      await page.waitForURL(/\/me\/appeals\/\d+$/);
      // An appeal about rest and facilities that names the station it came from.
      await expect.poll(() => page.getByTestId('appeal-description').textContent(), { timeout: 15_000 }).toBe(`【${nearest.name}】热水器坏了，已经三天没有热水。`);
      await expect.poll(() => page.getByTestId('worker-appeal').textContent(), { timeout: 15_000 }).toContain('休息与设施');

      // No position: the city picker takes over.
      await page.goto(`${journey.server.baseUrl}/me/stations?city=440300`);
      await expect.poll(() => page.getByTestId('station-origin').textContent(), { timeout: 15_000 }).toBe('按深圳市中心查找');
      await expect.poll(() => page.getByTestId('station-item').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    } finally {
      await context.close();
    }

    // Scanning the printed code on a phone that is not logged in: login first, then straight back.
    const scanner = await journey.browser.newContext(phone);
    const scan = await scanner.newPage();
    try {
      await scan.goto(`${journey.server.baseUrl}${station.checkInPath}`);
      await scan.waitForURL(/\/login$/);
      await scan.getByTestId('login-username').fill('driver');
      await scan.getByTestId('login-password').fill(DEMO_PASSWORD);
      await scan.getByTestId('login-submit').click();
      await scan.waitForURL(`${journey.server.baseUrl}${station.checkInPath}`);
      await expect.poll(() => scan.getByTestId('station-checkin-name').textContent(), { timeout: 15_000 }).toBe(STATION_NAME);
      await scan.getByTestId('station-checkin-button').click();
      await expect.poll(() => scan.getByTestId('station-checkin-result').getAttribute('data-state'), { timeout: 15_000 }).toBe('new');
      await expect.poll(() => scan.getByTestId('station-checkin-result').textContent(), { timeout: 15_000 }).toContain('签到成功');
      await saveScreenshot(scan, 'stations-checkin-phone.png');
      await scan.reload();
      await scan.getByTestId('station-checkin-button').click();
      await expect.poll(() => scan.getByTestId('station-checkin-result').getAttribute('data-state'), { timeout: 15_000 }).toBe('already');
      await expect.poll(() => scan.getByTestId('station-checkin-result').textContent(), { timeout: 15_000 }).toContain('今天已经签到过了');
    } finally {
      await scanner.close();
    }
  });

  test('the branch secretary opens the visit figures: a chart of the last twelve months and the new station with its one check-in', async () => {
    expect(created).not.toBeNull();
    const station = created as { id: number; checkInPath: string };
    const context = await journey.browser.newContext(desktop);
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'branch', DEMO_PASSWORD);
      await page.getByTestId('nav-stations').click();
      await page.waitForURL(/\/stations$/);
      await page.getByTestId('station-visits-link').click();
      await page.waitForURL(/\/stations\/visits/);
      const chart = page.getByTestId('station-visits-chart');
      await chart.locator('canvas').first().waitFor({ state: 'visible', timeout: 15_000 });
      expect(await chart.getAttribute('aria-label')).toBe('近 12 个月每月到访人次和人数柱状图');
      // The table lists stations by person-times; the driver's scan above is this station's only visit.
      const row = page.locator(`[data-testid="station-visits-row"][data-station-id="${station.id}"]`);
      await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
      await expect.poll(() => row.getByTestId('station-visits-name').textContent(), { timeout: 15_000 }).toBe(STATION_NAME);
      expect(await row.locator('td').nth(2).textContent()).toBe('1');
      await expect.poll(async () => Number(await page.getByTestId('station-visits-total').locator('.ant-statistic-content-value').textContent()), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
      await saveScreenshot(page, 'stations-visits.png');
      // Narrowed to this month (China time) the table still holds the check-in, made today.
      const thisMonth = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
      await pickOption(page, page.getByTestId('station-visits-month'), '', thisMonth);
      await expect.poll(() => page.getByTestId('station-visits-month').textContent(), { timeout: 15_000 }).toBe(thisMonth);
      await expect.poll(() => row.locator('td').nth(2).textContent(), { timeout: 15_000 }).toBe('1');
      await row.getByTestId('station-visits-name').click();
      await page.waitForURL(new RegExp(`/stations/${station.id}$`));
      await page.getByTestId('station-edit-page').waitFor({ state: 'visible', timeout: 15_000 });
    } finally {
      await context.close();
    }
  });

  test('a committee analyst sees Sichuan’s stations most visited first, twenty at a time, and loads more', async () => {
    const context = await journey.browser.newContext(desktop);
    const page = await context.newPage();
    try {
      await logIn(page, journey.server.baseUrl, 'sichuan', DEMO_PASSWORD);
      await page.goto(`${journey.server.baseUrl}/stations/visits`);
      const rows = page.getByTestId('station-visits-row');
      const visitsShown = async () => (await rows.locator('td:nth-child(3)').allTextContents()).map(Number);
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(20);
      const visited = Number(await page.getByTestId('station-visits-stations').locator('.ant-statistic-content-value').textContent());
      expect(visited).toBeGreaterThan(20);
      expect(await page.getByTestId('station-visits-loaded').textContent()).toContain(`已显示 20 个站点，共 ${visited} 个`);
      await page.getByTestId('station-visits-load-more').click();
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(Math.min(40, visited));
      // Most person-times first, across the page boundary too; ranks run on.
      const shown = await visitsShown();
      expect(shown).toEqual([...shown].sort((a, b) => b - a));
      expect(await rows.nth(20).locator('td').first().textContent()).toBe('21');
      await saveScreenshot(page, 'stations-visits-more.png');
    } finally {
      await context.close();
    }
  });
});
