// Starts the real Convoy server on a fresh SQLite database and a Chromium to drive it, for browser
// journeys. Nothing is shared between runs: each server gets its own temp directory and port.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContextOptions, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { sensitiveCodec } from '../server/core/sensitive.js';
import { openDatabase } from '../server/db/database.js';
import { openLogFile, recordPersonalValues } from '../server/test/test-logs.js';

export const REPO_ROOT = resolve(import.meta.dirname, '..');
export const RESULTS_DIR = join(REPO_ROOT, 'test-results');
export const CHROMIUM_PATH = '/usr/bin/chromium';

const READY_TIMEOUT_MS = 60_000;
const CHROMIUM_WAIT_MS = 10 * 60_000; // the test script may still be installing it with apt

export type RunningServer = {
  baseUrl: string;
  /** Everything the server printed, for the failure message. */
  output: () => string;
  stop: () => Promise<void>;
};

/** A port nobody listens on right now; the OS picks it, so parallel runs do not collide. */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((done) => {
    const timer = setTimeout(() => done(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      done(true);
    });
  });
}

/** `node --import tsx server/main.ts --demo` on a fresh database; resolves once /readyz answers 200. */
export async function startDemoServer(): Promise<RunningServer> {
  // CONVOY_WEB_DIST (passed on to the server) names a bundle built elsewhere: `npx vite build --outDir DIR`.
  const webDist = process.env.CONVOY_WEB_DIST ?? join(REPO_ROOT, 'web/dist');
  if (!existsSync(join(webDist, 'index.html'))) {
    throw new Error(`${webDist} is missing: run \`npm run build:web\` before the browser tests`);
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'convoy-e2e-'));
  const port = await freeLoopbackPort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const logs: string[] = [];
  // In a test run (server/test/test-logs.ts) the server logs everything, into a file the scan reads afterwards.
  const logFile = openLogFile('e2e', 'demo-server');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--demo'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `sqlite:${join(dataDir, 'convoy.db')}`, ...(logFile ? { LOG_LEVEL: 'trace' } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    logs.push(chunk.toString());
    logFile?.write(chunk.toString());
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const output = () => logs.join('');

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 5_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    }
    logFile?.close();
    if (logFile) await recordDemoValues(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`The server exited with code ${child.exitCode} before it was ready:\n${output()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/readyz`);
      if (response.status === 200) return { baseUrl, output, stop };
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  await stop();
  throw new Error(`The server was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${output()}`);
}

/** The demo world's phone and ID numbers (seeded and added by the journey), for the log scan after the run. */
async function recordDemoValues(dataDir: string): Promise<void> {
  const secretFile = join(dataDir, 'demo-secret');
  if (!existsSync(secretFile)) return;
  const handle = openDatabase(`sqlite:${join(dataDir, 'convoy.db')}`);
  try {
    const codec = sensitiveCodec((await readFile(secretFile, 'utf8')).trim(), join(dataDir, 'field-keys.json'));
    await recordPersonalValues(handle.db, codec, 'demo-server');
  } finally {
    await handle.destroy();
  }
}

/** Headless Chromium from the system package (never downloaded: the test machine has no internet). */
export async function launchChromium(): Promise<Browser> {
  const deadline = Date.now() + CHROMIUM_WAIT_MS;
  while (!existsSync(CHROMIUM_PATH)) {
    if (Date.now() > deadline) throw new Error(`${CHROMIUM_PATH} not found: install the chromium package`);
    await sleep(2_000);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export type Journey = { readonly server: RunningServer; readonly browser: Browser };

/** A fresh demo server and a Chromium for one file's journeys: started before its tests, stopped after. */
export function journeyEnvironment(): Journey {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the journey environment is not started yet (use it inside a test)');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get browser() {
      return started(browser);
    },
  };
}

export async function saveScreenshot(page: Page, fileName: string): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, fileName);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Fills the login form and waits for the page the app lands on: the organization page for staff, or
 * the worker's own page (`/me`) when `landing` says so.
 */
export async function logIn(page: Page, baseUrl: string, username: string, password: string, landing: RegExp = /\/org(\/\d+)?$/): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(landing);
}

/**
 * Chooses an option of an antd Select the way a keyboard user does: open it, type to narrow the
 * list, wait for the wanted option, press Enter. (Clicking options races the closing animation of
 * the previous dropdown, which stays in the page for a moment.)
 */
export async function pickOption(page: Page, select: Locator, typed: string, optionText: string | RegExp): Promise<void> {
  await select.click();
  if (typed) await page.keyboard.type(typed);
  await page.locator('.ant-select-item-option', { hasText: optionText }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

/** A Chinese desktop browser in China's time zone. */
export const desktop: BrowserContextOptions = { locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1366, height: 900 } };

/** A phone-sized browser (390×844) in Chinese. */
export const phone: BrowserContextOptions = {
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};
