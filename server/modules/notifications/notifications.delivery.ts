// The delivery worker: sends what the outbox holds, outside any transaction, after the change that
// wrote it has committed. A row is claimed by compare-and-set on locked_until, so of several workers
// (or processes) exactly one sends it; the guarantee is at least once, since a send that outlives its
// lock can be claimed again.
import nodemailer from 'nodemailer';
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { OutboxChannel } from '../../db/tables-appeals.js';
import type { Database } from '../../db/tables.js';
import { afterFailure } from './notifications.rules.js';

type Db = Kysely<Database>;

export type DeliveryMessage = { to: string; subject: string; text: string };
export type DeliveryAdapter = { channel: OutboxChannel; send(message: DeliveryMessage): Promise<void> };

export type DeliveryLogger = {
  info: (obj: object, msg: string) => void;
  warn: (obj: object, msg: string) => void;
  error: (obj: object, msg: string) => void;
};

export type DrainSummary = { delivered: number; retried: number; failed: number };

export type DeliveryWorker = {
  start: () => void;
  /** Stops polling and waits for the send in progress. */
  stop: () => Promise<void>;
  /** Sends everything due now (retries scheduled later wait); for tests and one-off runs. */
  drainOnce: () => Promise<DrainSummary>;
};

export type DeliveryWorkerOptions = {
  db: Db;
  clock: Clock;
  adapters: readonly DeliveryAdapter[];
  log: DeliveryLogger;
  pollMs?: number;
};

/** How long a claim holds a row against other workers. */
export const LOCK_MS = 60_000;
// A send must end well inside its lock, or another worker would claim the row and send it again.
const SEND_TIMEOUT_MS = 30_000;
const CANDIDATES_PER_ROUND = 20;

type Claimed = { id: number; notificationId: number; channel: OutboxChannel; attempts: number; lockedUntil: string };

async function claimDue(db: Db, now: Date): Promise<Claimed[]> {
  const at = now.toISOString();
  const candidates = await db
    .selectFrom('outbox')
    .select(['id', 'notificationId', 'channel', 'attempts', 'lockedUntil'])
    .where('status', '=', 'pending')
    .where('nextAttemptAt', '<=', at)
    .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<=', at)]))
    .orderBy('nextAttemptAt')
    .orderBy('id')
    .limit(CANDIDATES_PER_ROUND)
    .execute();
  return candidates.map((row) => ({ ...row, lockedUntil: row.lockedUntil ?? '' }));
}

async function tryClaim(db: Db, row: Claimed, now: Date): Promise<Claimed | null> {
  const lockedUntil = new Date(now.getTime() + LOCK_MS).toISOString();
  // The old lock value in the WHERE is the compare of compare-and-set: of two workers that read the same
  // row, the second finds it changed and updates nothing.
  const result = await db
    .updateTable('outbox')
    .set({ lockedUntil })
    .where('id', '=', row.id)
    .where('status', '=', 'pending')
    .where((eb) => (row.lockedUntil === '' ? eb('lockedUntil', 'is', null) : eb('lockedUntil', '=', row.lockedUntil)))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? { ...row, lockedUntil } : null;
}

async function messageFor(db: Db, row: Claimed): Promise<{ message: DeliveryMessage } | { problem: string }> {
  const found = await db
    .selectFrom('notifications')
    .innerJoin('users', 'users.id', 'notifications.userId')
    .select(['notifications.title', 'notifications.body', 'users.email', 'users.username'])
    .where('notifications.id', '=', row.notificationId)
    .executeTakeFirst();
  if (!found) return { problem: 'notification not found' };
  // SMS and WeChat have no address column yet: the username stands in, which only the logging adapter takes.
  const to = row.channel === 'email' ? found.email : found.username;
  if (!to) return { problem: `recipient has no ${row.channel} address` };
  return { message: { to, subject: found.title, text: found.body } };
}

function withTimeout(sending: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`send timed out after ${ms} ms`)), ms);
  });
  return Promise.race([sending, timeout]).finally(() => clearTimeout(timer));
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 1000);

export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { db, clock, log } = options;
  const pollMs = options.pollMs ?? 5000;
  const adapters = new Map(options.adapters.map((adapter) => [adapter.channel, adapter]));
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<DrainSummary> | null = null;

  // Every finishing write is fenced on this worker's lock: a worker whose lock ran out and was taken
  // over leaves the row to its new owner.
  async function finish(row: Claimed, changes: { status: 'delivered' | 'pending' | 'failed'; nextAttemptAt?: string; lastError: string | null; countsAsAttempt: boolean }) {
    const at = clock.now().toISOString();
    const result = await db
      .updateTable('outbox')
      .set({
        status: changes.status,
        attempts: changes.countsAsAttempt ? row.attempts + 1 : row.attempts,
        lockedUntil: null,
        lastError: changes.lastError,
        ...(changes.nextAttemptAt ? { nextAttemptAt: changes.nextAttemptAt } : {}),
        ...(changes.status === 'delivered' ? { deliveredAt: at } : {}),
      })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .where('lockedUntil', '=', row.lockedUntil)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) log.warn({ outboxId: row.id }, 'outbox row was taken over while sending');
  }

  async function deliver(row: Claimed, summary: DrainSummary): Promise<void> {
    const adapter = adapters.get(row.channel);
    // Configuration does not change while the process runs: retrying without an adapter would only wait.
    if (!adapter) {
      const hint = row.channel === 'email' ? ' (set CONVOY_SMTP_URL and CONVOY_MAIL_FROM)' : '';
      await finish(row, { status: 'failed', lastError: `no delivery adapter for channel ${row.channel}${hint}`, countsAsAttempt: false });
      summary.failed += 1;
      return;
    }
    const prepared = await messageFor(db, row);
    if ('problem' in prepared) {
      await finish(row, { status: 'failed', lastError: prepared.problem, countsAsAttempt: false });
      summary.failed += 1;
      return;
    }
    try {
      await withTimeout(adapter.send(prepared.message), SEND_TIMEOUT_MS);
    } catch (error) {
      const outcome = afterFailure(row.attempts, clock.now());
      log.warn({ outboxId: row.id, channel: row.channel, attempt: row.attempts + 1, err: error }, 'notification delivery failed');
      await finish(row, { ...outcome, lastError: errorText(error), countsAsAttempt: true });
      if (outcome.status === 'failed') summary.failed += 1;
      else summary.retried += 1;
      return;
    }
    await finish(row, { status: 'delivered', lastError: null, countsAsAttempt: true });
    summary.delivered += 1;
  }

  async function drain(): Promise<DrainSummary> {
    const summary: DrainSummary = { delivered: 0, retried: 0, failed: 0 };
    for (;;) {
      const candidates = await claimDue(db, clock.now());
      let claimedAny = false;
      for (const candidate of candidates) {
        // Claimed one at a time, just before sending, so no lock waits behind other rows' slow sends.
        const row = await tryClaim(db, candidate, clock.now());
        if (!row) continue;
        claimedAny = true;
        await deliver(row, summary);
      }
      // Every candidate went to another worker (or none was due): nothing left for this one now.
      if (!claimedAny) return summary;
    }
  }

  // One drain at a time per worker: a poll that fires during a long drain joins it.
  function tick(): Promise<DrainSummary> {
    if (!current) {
      current = drain().finally(() => {
        current = null;
      });
    }
    return current;
  }

  const poll = () => {
    tick()
      .then((summary) => {
        if (summary.delivered + summary.retried + summary.failed > 0) log.info(summary, 'notifications delivered');
      })
      .catch((error: unknown) => log.error({ err: error }, 'notification delivery poll failed'));
  };

  return {
    start() {
      if (started) return;
      started = true;
      timer = setInterval(poll, pollMs);
      timer.unref();
      poll();
    },
    async stop() {
      started = false;
      if (timer) clearInterval(timer);
      timer = undefined;
      await current?.catch(() => undefined);
    },
    async drainOnce() {
      while (current) await current.catch(() => undefined);
      return tick();
    },
  };
}

/** Writes what would be sent to the log: the stand-in for channels without a real gateway yet. */
export function loggingAdapter(channel: OutboxChannel, log: Pick<DeliveryLogger, 'info'>): DeliveryAdapter {
  return {
    channel,
    // The text stays out of the log: it may tell of a worker's appeal.
    send: async (message) => log.info({ channel, to: message.to, subject: message.subject }, 'notification (logging adapter, not sent)'),
  };
}

type MailTransport = { sendMail: (mail: { from: string; to: string; subject: string; text: string }) => Promise<unknown> };

/** Email through any nodemailer transport (SMTP in production, a stream transport in tests). */
export function emailAdapter(transport: MailTransport, from: string): DeliveryAdapter {
  return {
    channel: 'email',
    send: async (message) => {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}

/** The adapters a configuration provides: SMTP email when configured, the logging adapter for SMS and WeChat. */
export function deliveryAdaptersFrom(config: { smtpUrl: string | null; mailFrom: string | null }, log: Pick<DeliveryLogger, 'info'>): DeliveryAdapter[] {
  const adapters = [loggingAdapter('sms', log), loggingAdapter('wechat', log)];
  if (config.smtpUrl && config.mailFrom) adapters.push(emailAdapter(nodemailer.createTransport(config.smtpUrl), config.mailFrom));
  return adapters;
}
