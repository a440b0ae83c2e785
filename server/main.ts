import { loadConfig } from './config.js';
import { buildApp } from './app.js';
import { clockStartingAt, systemClock } from './core/clock.js';
import { fieldCodec } from './core/sensitive.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { demoLogins, DEMO_PASSWORD } from './db/seed/demo-accounts.js';
import { isEmpty, seedDemo } from './db/seed/seed-demo.js';
import { appealPhotoStore } from './modules/appeals/appeals.retention.js';
import { createAppealScheduler } from './modules/appeals/appeals.scheduler.js';
import { createActivityScheduler } from './modules/activities/activities.scheduler.js';
import { createPrivacyScheduler } from './modules/privacy/privacy.scheduler.js';
import { createDeliveryWorker, deliveryAdaptersFrom } from './modules/notifications/notifications.delivery.js';
import { buildWebBundle, webBundleIsStale } from './web-bundle.js';

// `npm start` is demo mode (seeded data, demo accounts, generated secret); `npm run serve` is production.
const demo = process.argv.includes('--demo');
// A prebuilt bundle elsewhere (CONVOY_WEB_DIST) is served as it is: browser tests of several people working
// in one tree each build their own, and a rebuild into the shared web/dist would pull it from under them.
const prebuiltWeb = process.env.CONVOY_WEB_DIST;

async function main(): Promise<void> {
  const config = loadConfig(process.env, { demo });
  const clock = config.clockStart ? clockStartingAt(config.clockStart) : systemClock;
  const handle = openDatabase(config.databaseUrl);
  // The codec lets an upgrade encrypt membership details already stored (see the migrations).
  const applied = await migrateToLatest(handle.db, { codec: fieldCodec(config) });
  if (applied.length) console.log(`Migrations applied: ${applied.join(', ')}`);

  if (demo) {
    if (!prebuiltWeb && webBundleIsStale()) {
      console.log('Building the web app (first start or changed sources)…');
      await buildWebBundle();
    }
    if (await isEmpty(handle.db)) {
      console.log('Empty database: generating the demo data set…');
      const started = Date.now();
      const summary = await seedDemo(handle.db, { now: clock.now(), codec: fieldCodec(config) });
      const counts = Object.entries(summary).flatMap(([key, value]) => (typeof value === 'number' && key !== 'seed' ? [`${value} ${key}`] : []));
      console.log(`Demo data ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${counts.join(', ')}`);
    }
  }

  // After the migrations (a VACUUM among them need not meet the thread): WAL checkpoints off the event loop.
  handle.checkpointInBackground?.();
  // On a SQLite file, imports run on a thread of their own, so their statements and COMMITs never stop this one.
  const importThread = handle.waitingWriters ? { waitingWriters: handle.waitingWriters } : undefined;
  const app = await buildApp({ db: handle.db, engine: handle.engine, config, clock, writersWaiting: handle.writersWaiting, importThread }, prebuiltWeb ? { webRoot: prebuiltWeb } : {});
  // Started here, not in buildApp: API tests drive delivery and the scheduler themselves with a fixed clock.
  // Background work writes through the patient handle: an import gives way to it only between its transactions.
  const background = handle.backgroundDb;
  const delivery = createDeliveryWorker({ db: background, clock, adapters: deliveryAdaptersFrom(config, app.log), log: app.log });
  const scheduler = createAppealScheduler({ db: background, clock, log: app.log, retention: { retentionDays: config.appealRetentionDays, photos: appealPhotoStore(config) } });
  const activityScheduler = createActivityScheduler({ db: background, clock, log: app.log });
  const privacyScheduler = createPrivacyScheduler({ db: background, clock, log: app.log });
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await scheduler.stop();
    await activityScheduler.stop();
    await privacyScheduler.stop();
    await delivery.stop();
    await app.close();
    await handle.destroy();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  delivery.start();
  scheduler.start();
  activityScheduler.start();
  privacyScheduler.start();
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  console.log(`\nConvoy (同行) is serving ${url} on ${handle.engine}${demo ? ' — demo mode' : ''}`);
  console.log(`API docs: ${url}/docs`);
  if (demo) {
    console.log(`\nDemo logins (password for all: ${DEMO_PASSWORD}):`);
    for (const login of demoLogins) console.log(`  ${login.username.padEnd(8)} ${login.description.en} — ${login.description.zh}`);
    console.log('');
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
