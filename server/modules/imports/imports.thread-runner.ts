// The server's side of the import thread (imports.thread.ts): a JobRunner whose jobs run there. Used by a
// server on a SQLite file (main.ts); tests and PostgreSQL servers run imports in their own thread
// (importJobRunner), where a fixed test clock and the API tests' control of the runner apply as they are.
import { Worker } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import { hasClaimableJob, type JobRunner, type JobRunnerOptions } from '../../core/jobs.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/tables.js';

export type ImportThreadData = {
  config: Config;
  /** The server's clock minus real time when the thread began (CONVOY_CLOCK_START shifts it). */
  clockShiftMs: number;
  /** The server's count of waiting writers (DatabaseHandle.waitingWriters). */
  waitingWriters: SharedArrayBuffer;
  /** The WAL's size past which the thread truncates it after a transaction (512 MB; tests set less). */
  walLimitBytes?: number;
};
export type ToImportThread = { op: 'start' } | { op: 'wake' } | { op: 'stop'; requeue: boolean; id: number } | { op: 'drain'; id: number } | { op: 'close'; id: number };
/** `idle`: the thread's runner found no job left after a start; the server ends the thread. */
export type FromImportThread = { done: number } | { idle: true } | { log: 'error' | 'info'; obj: Record<string, unknown>; msg: string };

export type ThreadedJobRunner = JobRunner & {
  /** Stops the runner and ends the thread, closing its connections. */
  close: () => Promise<void>;
  /** Whether a thread is running now (it runs only while there are jobs to run). */
  threadRunning: () => boolean;
};

type Logger = NonNullable<JobRunnerOptions['log']>;

/** The import thread's heap: an 80,000-row batch and its pending grams need well under the old generation's bound. */
const THREAD_HEAP_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 };
/** How often the server looks for a job to start a thread for (a job is also started at once on wake). */
const POLL_MS = 1000;

/**
 * The server's thread never runs an import statement: it looks for a claimable job (one small read a
 * second), starts a thread when there is one, passes wake, stop and drain on and logs what the thread
 * reports. The thread ends once its runner finds no job left: idle, it held ~90–120 MB of the server's
 * RSS (its own heap with the import's modules and tsx's loader; issue 6's bound is 500 MB at a million
 * workers). A thread that fails ends too; the next poll starts a new one, which resumes the job as after a crash.
 */
export function threadedImportJobRunner(
  deps: { db: Kysely<Database>; config: Config; clock: Clock; waitingWriters: SharedArrayBuffer; walLimitBytes?: number },
  log?: Logger,
): ThreadedJobRunner {
  let worker: Worker | null = null;
  let exited: Promise<void> = Promise.resolve();
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  let checking: Promise<void> | null = null;
  /** Set while a thread is being ended: it takes no more messages but close. */
  let retiring: Promise<void> | null = null;
  let nextId = 0;
  const pending = new Map<number, () => void>();
  const settleAll = () => {
    for (const done of pending.values()) done();
    pending.clear();
  };

  const spawn = (): Worker => {
    const entry = new URL('./imports.thread.ts', import.meta.url).href;
    // The server runs TypeScript through tsx; a thread's entry must be handed to it explicitly.
    const source = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`;
    const data: ImportThreadData = {
      config: deps.config,
      clockShiftMs: deps.clock.now().getTime() - Date.now(),
      waitingWriters: deps.waitingWriters,
      ...(deps.walLimitBytes !== undefined ? { walLimitBytes: deps.walLimitBytes } : {}),
    };
    // A small young generation: the thread's memory counts in the server's (issue 6: RSS ≤ 500 MB at a million
    // workers), and V8's default lets it grow by tens of MB that a batch's short-lived rows do not need.
    const thread = new Worker(source, { eval: true, workerData: data, resourceLimits: THREAD_HEAP_LIMITS });
    thread.on('message', (message: FromImportThread) => {
      if ('done' in message) {
        pending.get(message.done)?.();
        pending.delete(message.done);
      } else if ('idle' in message) {
        if (thread === worker) retire();
      } else if ('log' in message) {
        const err = message.obj.err as { message?: string; stack?: string } | undefined;
        const obj = err ? { ...message.obj, err: Object.assign(new Error(err.message), { stack: err.stack }) } : message.obj;
        if (message.log === 'error') log?.error(obj, message.msg);
        else log?.info?.(obj, message.msg);
      }
    });
    thread.on('error', (error) => log?.error({ err: error }, 'import thread failed'));
    exited = new Promise((resolve) =>
      thread.once('exit', () => {
        if (worker === thread) worker = null;
        settleAll();
        resolve();
      }),
    );
    // Like the checkpointer thread: it must not keep a process alive that has nothing else to do.
    thread.unref();
    return thread;
  };

  const send = (message: ToImportThread) => worker?.postMessage(message);
  const ask = (make: (id: number) => ToImportThread): Promise<void> => {
    const thread = worker;
    if (!thread) return Promise.resolve();
    const id = (nextId += 1);
    // While an answer is awaited the thread keeps the process alive; else a process with nothing more to
    // do would exit with the await unsettled (code 13), in the middle of a close.
    thread.ref();
    const answered = new Promise<void>((resolve) =>
      pending.set(id, () => {
        if (pending.size <= 1) thread.unref();
        resolve();
      }),
    );
    send(make(id));
    return answered;
  };
  const endThread = async () => {
    const thread = worker;
    await ask((id) => ({ op: 'close', id }));
    thread?.ref();
    await exited;
  };

  /** Starts a thread if there is none and a job waits for one. */
  const check = (): Promise<void> => {
    checking ??= (async () => {
      if (!started || worker || retiring) return;
      if (!(await hasClaimableJob(deps.db, deps.clock, deps.config.importStaleMs))) return;
      if (!started || worker || retiring) return;
      worker = spawn();
      send({ op: 'start' });
    })()
      .catch((error: unknown) => log?.error({ err: error }, 'import job poll failed'))
      .finally(() => {
        checking = null;
      });
    return checking;
  };

  /** Ends an idle thread; a job queued meanwhile (its wake came too late for the thread) starts the next one. */
  const retire = () => {
    if (retiring) return;
    retiring = endThread()
      .catch((error: unknown) => log?.error({ err: error }, 'import thread did not end'))
      .finally(() => {
        retiring = null;
      });
    void retiring.then(check);
  };

  const halt = async () => {
    started = false;
    if (timer) clearInterval(timer);
    timer = undefined;
    await checking;
  };

  return {
    start() {
      if (started) return;
      started = true;
      timer = setInterval(() => void check(), POLL_MS);
      timer.unref();
      void check();
    },
    wake() {
      if (!started) return;
      if (worker && !retiring) send({ op: 'wake' });
      else void check();
    },
    async stop(options = {}) {
      await halt();
      await retiring;
      await ask((id) => ({ op: 'stop', requeue: options.requeue ?? true, id }));
      await endThread();
    },
    async drain() {
      for (;;) {
        if (retiring) {
          await retiring;
          continue;
        }
        if (!worker) await check();
        if (!worker) return;
        if (retiring) continue;
        return ask((id) => ({ op: 'drain', id }));
      }
    },
    async close() {
      await halt();
      await retiring;
      await endThread();
    },
    threadRunning: () => worker !== null,
  };
}
