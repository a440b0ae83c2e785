// A notification reaches its user in their own language, in-app always and by each further channel
// that has an address; a failed delivery is retried with exponential backoff, then given up.
import type { Bilingual } from '../../core/i18n.js';
import type { OutboxChannel } from '../../db/tables-appeals.js';

/** Every try (the first included) a delivery gets before its outbox row is marked failed. */
export const MAX_DELIVERY_ATTEMPTS = 8;

const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 3600_000;

/** users.locale is 'zh-CN' or 'en'; anything not English reads Chinese, Convoy's default. */
export function textFor(locale: string, text: Bilingual): string {
  return locale === 'en' || locale.startsWith('en-') ? text.en : text.zh;
}

/**
 * The extra channels a user gets, among those asked for. Email needs an address; SMS and WeChat have
 * no address column yet, so they go by username to whichever adapter is installed (the logging one).
 */
export function channelsFor(user: { email: string | null; disabledAt: string | null }, asked: readonly OutboxChannel[]): OutboxChannel[] {
  // A disabled account keeps its in-app history but is not reached outside Convoy any more.
  if (user.disabledAt !== null) return [];
  return asked.filter((channel) => channel !== 'email' || (user.email !== null && user.email.trim() !== ''));
}

/** 1 min after the first failure, doubling, at most an hour: a mail server that is down is not hammered. */
export function retryDelayMs(failuresBefore: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** failuresBefore, LONGEST_RETRY_MS);
}

export type AttemptOutcome = { status: 'pending'; nextAttemptAt: string } | { status: 'failed' };

/** What a failed try leaves behind: another try later, or failed once the attempts are spent. */
export function afterFailure(attemptsBefore: number, now: Date): AttemptOutcome {
  const attempts = attemptsBefore + 1;
  if (attempts >= MAX_DELIVERY_ATTEMPTS) return { status: 'failed' };
  return { status: 'pending', nextAttemptAt: new Date(now.getTime() + retryDelayMs(attemptsBefore)).toISOString() };
}
