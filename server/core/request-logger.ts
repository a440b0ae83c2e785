// Fastify gives every request a child of the server's logger, so each line it logs carries the request id.
// Making a pino child serializes its bindings and copies its settings: ~3 µs of every answer's CPU (issue 6's
// profile of the nearby search), spent even when the request logs nothing, which at the production level
// (warn) is almost every request. The stand-in handed out here makes that child only when a line is
// logged at a level the child would write, or when something else is asked of it; the line is then the
// real child's, written exactly as before.
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'fastify/types/logger.js';

type LevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
/** The part of pino a stand-in reads: the level numbers, to tell whether a line would be written. */
type PinoLike = FastifyBaseLogger & { levels?: { values?: Record<string, number> } };

class LazyRequestLogger {
  #child: FastifyBaseLogger | undefined;
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;
  readonly #threshold: number;
  readonly #values: Record<string, number>;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions, values: Record<string, number>, threshold: number) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
    this.#values = values;
    this.#threshold = threshold;
  }

  #real(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options);
    return this.#child;
  }

  #log(level: LevelName, args: unknown[]): void {
    // Once made, the child decides (its level may have been changed since).
    if (this.#child) return void Reflect.apply(this.#child[level], this.#child, args);
    if ((this.#values[level] ?? Infinity) < this.#threshold) return;
    const child = this.#real();
    Reflect.apply(child[level], child, args);
  }

  fatal(...args: unknown[]) {
    this.#log('fatal', args);
  }
  error(...args: unknown[]) {
    this.#log('error', args);
  }
  warn(...args: unknown[]) {
    this.#log('warn', args);
  }
  info(...args: unknown[]) {
    this.#log('info', args);
  }
  debug(...args: unknown[]) {
    this.#log('debug', args);
  }
  trace(...args: unknown[]) {
    this.#log('trace', args);
  }
  silent() {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }
  get level(): string {
    return this.#real().level;
  }
  set level(level: string) {
    this.#real().level = level;
  }
  isLevelEnabled(level: string): boolean {
    return (this.#real() as FastifyBaseLogger & { isLevelEnabled: (l: string) => boolean }).isLevelEnabled(level);
  }
  bindings(): Bindings {
    return (this.#real() as FastifyBaseLogger & { bindings: () => Bindings }).bindings();
  }
}

/**
 * Fastify's childLoggerFactory: a stand-in for `logger.child(bindings, options)`. A request asking for a
 * level of its own (a route's logLevel), or a logger that is not pino, gets the real child at once.
 */
export function lazyRequestLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  const values = (logger as PinoLike).levels?.values;
  const threshold = values?.[logger.level];
  if (!values || threshold === undefined || options.level !== undefined) return logger.child(bindings, options);
  return new LazyRequestLogger(logger, bindings, options, values, threshold);
}
