// Activities end to end, in Chinese: the branch secretary organizes a free health check at a station and
// finds it on the calendar; the demo driver, on a phone, finds it, signs up, sees it under his activities
// and checks in through the page the venue's QR code opens; the secretary checks him in from the sign-up
// list of another activity, and the counts follow.
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { desktop, journeyEnvironment, logIn, phone, pickOption, saveScreenshot } from './harness';

const DEMO_PASSWORD = 'convoy-demo';
const DRIVER_NAME = '王海涛';
// Different on every run, so the test finds its own activities among the seeded ones.
const stamp = String(Date.now()).slice(-6);
const HEALTH_CHECK = `免费健康体检进驿站（测试${stamp}）`;
const SCREENING = `司机之家电影之夜（测试${stamp}）`;
const STATION_CHECK = `驿站免费体检（测试${stamp}）`;
const HOUR = 3_600_000;

/** A datetime-local value in China time, whole minutes. */
function chinaInput(at: Date): string {
  return new Date(at.getTime() + 8 * HOUR).toISOString().slice(0, 16);
}

async function csrfOf(context: BrowserContext): Promise<string> {
  return (await context.cookies()).find((c) => c.name === 'convoy_csrf')?.value ?? '';
}

/** A write through the page's own session, as the app itself makes it. */
async function apiPost(page: Page, path: string, data?: object): Promise<{ status: number; body: { id?: number } }> {
  const response = await page.request.post(path, { headers: { 'x-csrf-token': await csrfOf(page.context()) }, ...(data ? { data } : {}) });
  return { status: response.status(), body: (await response.json()) as { id?: number } };
}

describe('activities journey', () => {
  const journey = journeyEnvironment();

  test('the secretary organizes a health check at a station; the driver signs up on a phone and checks in by the QR link; the secretary checks him in from the list', async () => {
    const deskContext = await journey.browser.newContext(desktop);
    const phoneContext = await journey.browser.newContext(phone);
    const secretary = await deskContext.newPage();
    const driver = await phoneContext.newPage();
    try {
      // (a) The secretary: 活动组织 → 新建活动, a health check at a station of the branch's city, starting in an hour.
      await logIn(secretary, journey.server.baseUrl, 'branch', DEMO_PASSWORD);
      await secretary.getByTestId('nav-activities').click();
      await secretary.waitForURL(/\/activities(\?.*)?$/);
      await secretary.getByTestId('activity-calendar').waitFor({ state: 'visible', timeout: 15_000 });
      const stations = await secretary.request.get(`${journey.server.baseUrl}/api/v1/stations?cityCode=510100&status=active&limit=5`);
      const station = ((await stations.json()) as { items: { id: number; name: string; address: string }[] }).items[0]!;

      await secretary.getByTestId('activity-new').click();
      const form = secretary.getByTestId('activity-form');
      await form.waitFor({ state: 'visible' });
      expect(await form.getByTestId('activity-kind').textContent()).toContain('健康体检');
      await form.getByTestId('activity-title').fill(HEALTH_CHECK);
      await form.getByTestId('activity-description').fill('免费测血压、血糖，医生现场解读体检报告。');
      // Typing searches the server; wait until its answer leads the list before choosing the first option.
      await form.getByTestId('activity-station').click();
      await secretary.keyboard.type(station.name);
      await expect.poll(() => secretary.locator('.ant-select-item-option').first().textContent(), { timeout: 15_000 }).toContain(station.name);
      await secretary.keyboard.press('Enter');
      const start = new Date(Date.now() + HOUR);
      await form.getByTestId('activity-starts').fill(chinaInput(start));
      await form.getByTestId('activity-ends').fill(chinaInput(new Date(start.getTime() + 2 * HOUR)));
      await form.locator('#capacity').fill('20');
      await saveScreenshot(secretary, 'activity-editor.png');
      await secretary.getByTestId('activity-form-submit').click();

      await secretary.waitForURL(/\/activities\/\d+$/, { timeout: 20_000 });
      const healthCheckId = Number(/\/activities\/(\d+)$/.exec(secretary.url())?.[1]);
      expect(await secretary.getByTestId('activity-heading').textContent()).toBe(HEALTH_CHECK);
      expect(await secretary.getByTestId('activity-venue-text').textContent()).toBe(`${station.name} · ${station.address}`);

      // It is on the calendar of the month it falls in.
      await secretary.getByTestId('activity-on-calendar').click();
      await secretary.waitForURL(/\/activities\?.*view=calendar/);
      const onCalendar = secretary.getByTestId('calendar-activity').filter({ hasText: HEALTH_CHECK });
      await expect.poll(() => onCalendar.count(), { timeout: 15_000 }).toBe(1);
      await saveScreenshot(secretary, 'activities-calendar.png');

      // (b) The driver, on a phone: 我的 → 活动报名 → the health check near him, one tap to sign up.
      await logIn(driver, journey.server.baseUrl, 'driver', DEMO_PASSWORD, /\/me$/);
      await driver.getByTestId('my-activities-link').click();
      await driver.waitForURL(/\/me\/activities$/);
      await pickOption(driver, driver.getByTestId('near-kind'), '', '健康体检');
      const card = driver.getByTestId('activity-card').filter({ hasText: HEALTH_CHECK });
      await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(1);
      expect(await card.getByTestId('activity-seats').textContent()).toBe('剩余 20 个名额');
      expect(await card.textContent()).toContain(station.name);
      const signUp = await card.getByTestId('activity-sign-up').boundingBox();
      expect(signUp && signUp.height >= 44).toBe(true);
      await card.getByTestId('activity-sign-up').click();
      await expect.poll(() => card.getByTestId('activity-card-place').textContent(), { timeout: 15_000 }).toBe('已报名');
      expect(await card.getByTestId('activity-seats').textContent()).toBe('剩余 19 个名额');
      expect(await driver.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await saveScreenshot(driver, 'activities-near-me-phone.png');

      await driver.getByTestId('tab-mine').click();
      // Within the 我的活动 list: until the tab has switched, the card of 附近活动 is still on the page.
      const mine = driver.getByTestId('my-activities-mine').getByTestId('activity-card').filter({ hasText: HEALTH_CHECK });
      await expect.poll(() => mine.count(), { timeout: 15_000 }).toBe(1);
      expect(await mine.getByTestId('activity-card-place').textContent()).toBe('已报名');
      // It starts within two hours: the card tells him how to check in.
      expect(await mine.getByTestId('activity-card-check-in-hint').count()).toBe(1);

      // At the venue the secretary shows the QR code; its link is the driver's check-in page.
      await secretary.goto(`${journey.server.baseUrl}/activities/${healthCheckId}`);
      await secretary.getByTestId('activity-qr-link').click();
      await secretary.waitForURL(new RegExp(`/activities/${healthCheckId}/qr$`));
      const checkInUrl = (await secretary.getByTestId('activity-check-in-url').textContent()) ?? '';
      expect(checkInUrl).toMatch(new RegExp(`/me/activities/${healthCheckId}/check-in\\?token=[A-Za-z0-9_-]+$`));
      await expect.poll(() => secretary.getByTestId('activity-qr-image').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 15_000 }).toBe(true);
      await saveScreenshot(secretary, 'activity-qr.png');

      await driver.goto(checkInUrl);
      await expect.poll(() => driver.getByTestId('check-in-title').textContent(), { timeout: 15_000 }).toBe(HEALTH_CHECK);
      await driver.getByTestId('check-in-confirm').click();
      await expect.poll(() => driver.getByTestId('check-in-done').textContent(), { timeout: 15_000 }).toBe('签到成功');
      await saveScreenshot(driver, 'activity-check-in-phone.png');
      // Scanning again changes nothing: once per person per activity.
      await driver.goto(checkInUrl);
      await expect.poll(() => driver.getByTestId('check-in-done').textContent(), { timeout: 15_000 }).toBe('您已签到');

      // The secretary's sign-up list shows him checked in by scanning.
      await secretary.goto(`${journey.server.baseUrl}/activities/${healthCheckId}`);
      const row = secretary.getByTestId(`participant-${DRIVER_NAME}`);
      await expect.poll(() => row.getByTestId('participant-status').textContent(), { timeout: 15_000 }).toBe('已签到');
      expect(await row.textContent()).toContain('扫码');
      expect(await secretary.getByTestId('activity-counts').textContent()).toMatch(/已签到1/);

      // (a, later) A second activity: the driver signs up, and the secretary checks him in from the list.
      const screeningStart = new Date(Date.now() + 30 * 60_000);
      const screening = await apiPost(secretary, `${journey.server.baseUrl}/api/v1/activities`, {
        unitId: 4,
        kind: 'film_screening',
        title: SCREENING,
        stationId: station.id,
        startsAt: screeningStart.toISOString(),
        endsAt: new Date(screeningStart.getTime() + 2 * HOUR).toISOString(),
        capacity: 40,
      });
      expect(screening.status, JSON.stringify(screening.body)).toBe(201);
      const screeningId = screening.body.id ?? 0;
      expect((await apiPost(driver, `${journey.server.baseUrl}/api/v1/activities/${screeningId}/sign-up`)).status).toBe(201);

      await secretary.goto(`${journey.server.baseUrl}/activities/${screeningId}`);
      const listed = secretary.getByTestId(`participant-${DRIVER_NAME}`);
      await expect.poll(() => listed.getByTestId('participant-status').textContent(), { timeout: 15_000 }).toBe('已报名');
      expect(await secretary.getByTestId('activity-counts').textContent()).toMatch(/已签到0/);
      await listed.getByTestId('participant-check-in').click();
      await expect.poll(() => listed.getByTestId('participant-status').textContent(), { timeout: 15_000 }).toBe('已签到');
      expect(await listed.textContent()).toContain('组织者登记');
      await expect.poll(() => secretary.getByTestId('activity-counts').textContent(), { timeout: 15_000 }).toMatch(/已签到1/);
      await saveScreenshot(secretary, 'activity-sign-up-list.png');

      // Attendance per month counts both person-times.
      await secretary.goto(`${journey.server.baseUrl}/activities?unitId=4&view=attendance`);
      await secretary.getByTestId('attendance-chart').waitFor({ state: 'visible', timeout: 15_000 });
      await expect.poll(() => secretary.getByTestId('attendance-table').locator('tbody tr.ant-table-row').count(), { timeout: 15_000 }).toBe(6);
    } finally {
      await phoneContext.close();
      await deskContext.close();
    }
  }, 300_000);

  test('a browser test at phone size: a driver finds the nearest open station with charging, signs up for a health check there, and checks in', async () => {
    // The driver stands at Tianfu Square in Chengdu; his phone shares the position.
    const here = { latitude: 30.6595, longitude: 104.0657 };
    const deskContext = await journey.browser.newContext(desktop);
    const phoneContext = await journey.browser.newContext({ ...phone, geolocation: here, permissions: ['geolocation'] });
    const secretary = await deskContext.newPage();
    const driver = await phoneContext.newPage();
    try {
      // The nearest open station with EV charging, as the public API answers it, gets a health check in an hour.
      const nearest = await secretary.request.get(`${journey.server.baseUrl}/api/v1/stations/nearby?lat=${here.latitude}&lng=${here.longitude}&service=ev_charging&openNow=true&limit=1`);
      const station = ((await nearest.json()) as { items: { id: number; name: string }[] }).items[0]!;
      await logIn(secretary, journey.server.baseUrl, 'branch', DEMO_PASSWORD);
      const start = new Date(Date.now() + HOUR);
      const created = await apiPost(secretary, `${journey.server.baseUrl}/api/v1/activities`, {
        unitId: 4,
        kind: 'health_check',
        title: STATION_CHECK,
        stationId: station.id,
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 2 * HOUR).toISOString(),
        capacity: 30,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const link = await secretary.request.get(`${journey.server.baseUrl}/api/v1/activities/${created.body.id}/check-in-link`);
      const checkInUrl = ((await link.json()) as { url: string }).url;

      // On the phone: 附近驿站, only those with EV charging and open now; the first is the nearest.
      await logIn(driver, journey.server.baseUrl, 'driver', DEMO_PASSWORD, /\/me$/);
      await driver.goto(`${journey.server.baseUrl}/me/stations`);
      await driver.getByTestId('station-service-filter').locator('[data-service="ev_charging"]').click();
      await driver.getByTestId('station-open-now').click();
      const list = driver.getByTestId('station-list');
      await expect.poll(() => list.getAttribute('data-filter'), { timeout: 20_000 }).toBe('ev_charging|open');
      const first = list.getByTestId('station-item').first();
      expect(await first.getAttribute('data-station-id')).toBe(String(station.id));
      expect(await first.getAttribute('data-open')).toBe('true');
      await saveScreenshot(driver, 'activities-station-nearby-phone.png');

      // The station's activities: the health check there, one tap to sign up.
      await first.getByTestId('station-activities-link').click();
      await driver.waitForURL(new RegExp(`/me/activities\\?stationId=${station.id}$`));
      await expect.poll(() => driver.getByTestId('activities-at-station').textContent(), { timeout: 15_000 }).toContain(station.name);
      const card = driver.getByTestId('activity-card').filter({ hasText: STATION_CHECK });
      await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(1);
      await card.getByTestId('activity-sign-up').click();
      await expect.poll(() => card.getByTestId('activity-card-place').textContent(), { timeout: 15_000 }).toBe('已报名');
      await saveScreenshot(driver, 'activities-at-station-phone.png');

      // At the station he scans the code shown there and checks in.
      await driver.goto(checkInUrl);
      await expect.poll(() => driver.getByTestId('check-in-title').textContent(), { timeout: 15_000 }).toBe(STATION_CHECK);
      await driver.getByTestId('check-in-confirm').click();
      await expect.poll(() => driver.getByTestId('check-in-done').textContent(), { timeout: 15_000 }).toBe('签到成功');
      expect(await driver.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    } finally {
      await phoneContext.close();
      await deskContext.close();
    }
  }, 300_000);
});
