import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().min(1).default('sqlite:./data/convoy.db'),
  CONVOY_SECRET: z.string().min(32, 'CONVOY_SECRET must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(120),
  COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  CONVOY_KEY_FILE: z.string().min(1).optional(),
  APPEAL_RETENTION_DAYS: z.coerce.number().int().min(30).max(3650).default(730),
  DELETION_ANSWER_DAYS: z.coerce.number().int().min(1).max(60).default(15),
  CONVOY_SMTP_URL: z.string().regex(/^smtps?:\/\/./, 'CONVOY_SMTP_URL must look like smtp://user:pass@host:587 or smtps://…').optional(),
  CONVOY_MAIL_FROM: z.string().min(3).optional(),
  IMPORT_STALE_SECONDS: z.coerce.number().int().min(2).max(3600).default(60),
  CONVOY_CLOCK_START: z.iso.datetime({ offset: true }).optional(),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string;
  secret: string;
  /** Rotated field-encryption keys (see core/field-keys.ts). */
  keyFile: string;
  /** Closed appeals keep the filer's personal details this long (PIPL: no longer than needed). */
  appealRetentionDays: number;
  /** A deletion request is due this many days after it is made; past it, the scheduler escalates it. */
  deletionAnswerDays: number;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  demo: boolean;
  sessionTtlMs: number;
  sessionIdleMs: number;
  cookieSecure: boolean;
  /** Email notifications are sent only when this is set. */
  smtpUrl: string | null;
  mailFrom: string | null;
  /** A running import whose heartbeat is older than this belongs to a process that died: another resumes it. */
  importStaleMs: number;
  /** Benchmarks only: the server's clock begins at this instant and runs at real speed (null: real time). */
  clockStart: Date | null;
};

/** The folder that holds a SQLite database file (and, in demo mode, the generated secret). */
export function dataFolderOf(databaseUrl: string): string {
  if (databaseUrl.startsWith('sqlite:') && !databaseUrl.includes(':memory:')) {
    return dirname(resolve(databaseUrl.slice('sqlite:'.length)));
  }
  return resolve('data');
}

// Demo mode must start with no set-up at all, so it keeps a generated secret beside its data;
// production refuses to start without one, because sessions and encrypted fields depend on it.
function demoSecret(folder: string): string {
  const file = resolve(folder, 'demo-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(folder, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: { demo?: boolean } = {}): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const demo = options.demo ?? false;
  let secret = e.CONVOY_SECRET;
  if (!secret) {
    if (!demo) throw new Error('CONVOY_SECRET is required outside demo mode (at least 32 characters).');
    secret = demoSecret(dataFolderOf(e.DATABASE_URL));
  }
  // Mail servers refuse a message without a sender, so an SMTP URL without one fails at start, not at every send.
  if (e.CONVOY_SMTP_URL && !e.CONVOY_MAIL_FROM) throw new Error('CONVOY_MAIL_FROM is required when CONVOY_SMTP_URL is set.');
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    secret,
    keyFile: e.CONVOY_KEY_FILE ? resolve(e.CONVOY_KEY_FILE) : resolve(dataFolderOf(e.DATABASE_URL), 'field-keys.json'),
    appealRetentionDays: e.APPEAL_RETENTION_DAYS,
    deletionAnswerDays: e.DELETION_ANSWER_DAYS,
    logLevel: e.LOG_LEVEL,
    demo,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    cookieSecure: e.COOKIE_SECURE === 'true',
    smtpUrl: e.CONVOY_SMTP_URL ?? null,
    mailFrom: e.CONVOY_MAIL_FROM ?? null,
    importStaleMs: e.IMPORT_STALE_SECONDS * 1000,
    clockStart: e.CONVOY_CLOCK_START ? new Date(e.CONVOY_CLOCK_START) : null,
  };
}
