// A small durable job runner over the import_jobs table. A job is claimed by compare-and-set (status
// running + a heartbeat); every batch a handler commits advances the job row in the same transaction,
// fenced on the heartbeat this runner wrote last, so a runner that lost its claim cannot commit. A
// running job whose heartbeat is older than `staleMs` belongs to a runner that died: the next one
// resumes it from rows_done.
import type { Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { Database, ImportJobsTable } from '../db/tables.js';
import type { Clock } from './clock.js';

type Db = Kysely<Database>;
export type Job = Selectable<ImportJobsTable>;
export type JobKind = Job['kind'];

export class LostClaimError extends Error {
  constructor(jobId: number) {
    super(`Job ${jobId} was claimed by another runner`);
    this.name = 'LostClaimError';
  }
}

export type JobControl = {
  /** True once the runner is stopping: finish the current batch, then return 'interrupted'. */
  stopping: () => boolean;
  /** Writes job progress inside the batch's transaction; throws LostClaimError when another runner owns the job. */
  advance: (trx: Transaction<Database> | Db, changes: Updateable<ImportJobsTable>) => Promise<void>;
};

export type JobHandler = (job: Job, control: JobControl) => Promise<'finished' | 'interrupted'>;

export type JobRunner = {
  start: () => void;
  /** Stops claiming and waits for the current batch. requeue=false leaves the job running, as a crash would. */
  stop: (options?: { requeue?: boolean }) => Promise<void>;
  /** Looks for work now instead of at the next poll. */
  wake: () => void;
  /** Runs every claimable job to its end (or to a stop) and resolves when none is left. */
  drain: () => Promise<void>;
};

type Logger = { error: (obj: object, msg: string) => void; info?: (obj: object, msg: string) => void };

export type JobRunnerOptions = {
  db: Db;
  clock: Clock;
  handlers: Partial<Record<JobKind, JobHandler>>;
  log?: Logger;
  pollMs?: number;
  staleMs?: number;
};

export const DEFAULT_STALE_MS = 60_000;

/** Jobs a runner may claim now: queued, or running under a heartbeat older than staleMs (its runner died). */
function claimable(db: Db, now: Date, staleMs: number) {
  const staleBefore = new Date(now.getTime() - staleMs).toISOString();
  return db
    .selectFrom('importJobs')
    .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('heartbeatAt', '<', staleBefore)])]));
}

/** Whether a runner polling now would find work (a server asks before it starts a thread to run it). */
export async function hasClaimableJob(db: Db, clock: Clock, staleMs: number = DEFAULT_STALE_MS): Promise<boolean> {
  return (await claimable(db, clock.now(), staleMs).select('id').limit(1).executeTakeFirst()) !== undefined;
}

async function claimNext(db: Db, clock: Clock, staleMs: number): Promise<Job | undefined> {
  const now = clock.now();
  const candidates = await claimable(db, now, staleMs).selectAll().orderBy('id').limit(5).execute();
  for (const job of candidates) {
    const at = now.toISOString();
    const startedAt = job.startedAt ?? at;
    let claim = db.updateTable('importJobs').set({ status: 'running', heartbeatAt: at, startedAt }).where('id', '=', job.id).where('status', '=', job.status);
    claim = job.heartbeatAt === null ? claim.where('heartbeatAt', 'is', null) : claim.where('heartbeatAt', '=', job.heartbeatAt);
    const result = await claim.executeTakeFirst();
    // Another runner may have claimed it between the read and the write: try the next one.
    if (Number(result.numUpdatedRows) === 1) return { ...job, status: 'running', heartbeatAt: at, startedAt };
  }
  return undefined;
}

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { db, clock, handlers, log } = options;
  const pollMs = options.pollMs ?? 1000;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  let started = false;
  let requeueOnStop = true;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | null = null;

  async function runJob(job: Job): Promise<void> {
    let token = job.heartbeatAt ?? '';
    const advance: JobControl['advance'] = async (trx, changes) => {
      const at = clock.now().toISOString();
      const result = await trx
        .updateTable('importJobs')
        .set({ ...changes, heartbeatAt: at })
        .where('id', '=', job.id)
        .where('status', '=', 'running')
        .where('heartbeatAt', '=', token)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new LostClaimError(job.id);
      token = at;
    };
    const handler = handlers[job.kind];
    try {
      if (!handler) throw new Error(`No handler for ${job.kind} jobs`);
      const outcome = await handler(job, { stopping: () => !started, advance });
      if (outcome === 'interrupted' && requeueOnStop) await advance(db, { status: 'queued' });
    } catch (error) {
      if (error instanceof LostClaimError) {
        log?.error({ jobId: job.id }, error.message);
        return;
      }
      log?.error({ err: error, jobId: job.id }, 'job failed');
      const message = error instanceof Error ? error.message : String(error);
      await advance(db, { status: 'failed', error: message.slice(0, 1000), finishedAt: clock.now().toISOString() }).catch(() => undefined);
    }
  }

  async function loop(): Promise<void> {
    while (started) {
      const job = await claimNext(db, clock, staleMs);
      if (!job) return;
      await runJob(job);
    }
  }

  function tick(): Promise<void> {
    if (!current) {
      current = loop()
        .catch((error: unknown) => log?.error({ err: error }, 'job runner poll failed'))
        .finally(() => {
          current = null;
        });
    }
    return current;
  }

  return {
    start() {
      if (started) return;
      started = true;
      requeueOnStop = true;
      timer = setInterval(() => void tick(), pollMs);
      timer.unref();
      void tick();
    },
    async stop(stopOptions = {}) {
      requeueOnStop = stopOptions.requeue ?? true;
      started = false;
      if (timer) clearInterval(timer);
      timer = undefined;
      await current;
    },
    wake() {
      if (started) void tick();
    },
    async drain() {
      while (current) await current;
      if (started) await tick();
    },
  };
}
