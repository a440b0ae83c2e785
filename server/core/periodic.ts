// A task that runs every so often in this process, one run at a time; stop() waits for a run under way.
// The tasks themselves are safe to run in several processes at once (they claim their work in the
// database), so this is only about pacing, never about correctness. Its tasks are background work: the
// server gives them the database's patient handle (DatabaseHandle.backgroundDb).
export type PeriodicLog = { info: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };

export function runPeriodically(options: { name: string; intervalMs: number; log: PeriodicLog; run: () => Promise<Record<string, number>> }) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const tick = async () => {
    try {
      const result = await options.run();
      if (Object.values(result).some((n) => n > 0)) options.log.info(result, options.name);
    } catch (error) {
      options.log.error({ err: error }, `${options.name} failed`);
    }
  };
  return {
    start() {
      if (timer) return;
      const loop = () => {
        running = tick().finally(() => {
          running = null;
          if (timer) timer = setTimeout(loop, options.intervalMs);
        });
      };
      timer = setTimeout(loop, 1000);
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
