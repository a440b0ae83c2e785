// The server's side of the import thread (imports.thread.ts): a JobRunner whose jobs run there. Used by a
// server on a SQLite file (main.ts); tests and PostgreSQL servers run imports in their own thread
// (importJobRunner), where a fixed test clock and the API tests' control of the runner apply as they are.
import { Worker } from 'node:worker_threads';
import type { Clock } from '../../core/clock.js';
import type { JobRunner, JobRunnerOptions } from '../../core/jobs.js';
import type { Config } from '../../config.js';

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
export type FromImportThread = { done: number } | { log: 'error' | 'info'; obj: Record<string, unknown>; msg: string };

export type ThreadedJobRunner = JobRunner & {
  /** Stops the runner and ends the thread, closing its connections. */
  close: () => Promise<void>;
};

type Logger = NonNullable<JobRunnerOptions['log']>;

/** The import thread's heap: a 40,000-row batch and its pending grams need well under the old generation's bound. */
const THREAD_HEAP_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 };

/**
 * The server's thread never runs an import statement: it only passes start, wake, stop and drain on and
 * logs what the thread reports. The thread begins with the first start and ends with close (or if it
 * fails; the next start begins a new one, which resumes the job as after a crash).
 */
export function threadedImportJobRunner(deps: { config: Config; clock: Clock; waitingWriters: SharedArrayBuffer; walLimitBytes?: number }, log?: Logger): ThreadedJobRunner {
  let worker: Worker | null = null;
  let exited: Promise<void> = Promise.resolve();
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
    if (!worker) return Promise.resolve();
    const id = (nextId += 1);
    const answered = new Promise<void>((resolve) => pending.set(id, resolve));
    send(make(id));
    return answered;
  };

  return {
    start() {
      worker ??= spawn();
      send({ op: 'start' });
    },
    wake: () => send({ op: 'wake' }),
    stop: (options = {}) => ask((id) => ({ op: 'stop', requeue: options.requeue ?? true, id })),
    drain: () => ask((id) => ({ op: 'drain', id })),
    async close() {
      await ask((id) => ({ op: 'close', id }));
      await exited;
    },
  };
}
