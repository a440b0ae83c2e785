import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { lazyRequestLogger } from './request-logger.js';

// The same calls through pino's own child and through the stand-in must write the same lines.
function linesOf(level: string, use: (logger: FastifyBaseLogger, bindings: { reqId: string }) => FastifyBaseLogger) {
  const lines: string[] = [];
  const parent = pino({ level, timestamp: false, base: { app: 'convoy' } }, { write: (line: string) => void lines.push(line) }) as unknown as FastifyBaseLogger;
  const child = use(parent, { reqId: 'req-1' });
  child.trace('trace line');
  child.debug({ url: '/x' }, 'debug line');
  child.info('info %s', 'formatted');
  child.warn('warn line');
  child.error({ err: new Error('boom') }, 'error line');
  child.child({ part: 'inner' }).warn('inner warn');
  return lines.map((line) => line.replace(/"stack":"[^"]*"/, '"stack":"…"'));
}

describe('lazy request logger', () => {
  for (const level of ['warn', 'info', 'trace', 'silent']) {
    it(`writes exactly the lines of pino's own child at level ${level}`, () => {
      const eager = linesOf(level, (parent, bindings) => parent.child(bindings, {}));
      const lazy = linesOf(level, (parent, bindings) => lazyRequestLogger(parent, bindings, {}));
      expect(lazy).toEqual(eager);
      if (level === 'warn') {
        expect(lazy).toHaveLength(3);
        for (const line of lazy) expect(JSON.parse(line)).toMatchObject({ reqId: 'req-1', app: 'convoy' });
      }
    });
  }

  it('makes no child while nothing is written, and one when a line is', () => {
    const parent = pino({ level: 'warn' }, { write: () => {} }) as unknown as FastifyBaseLogger;
    let made = 0;
    const counting = Object.assign(Object.create(parent) as FastifyBaseLogger, {
      child: (bindings: Record<string, unknown>, options?: object) => {
        made += 1;
        return parent.child(bindings, options);
      },
    });
    const logger = lazyRequestLogger(counting, { reqId: 'r' }, {});
    logger.info('not written');
    logger.debug('not written');
    expect(made).toBe(0);
    logger.error('written');
    logger.warn('written');
    expect(made).toBe(1);
  });

  it('gives a request with a level of its own the real child at once', () => {
    const lines: string[] = [];
    const parent = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) }) as unknown as FastifyBaseLogger;
    const logger = lazyRequestLogger(parent, { reqId: 'r' }, { level: 'debug' });
    logger.debug('route logs at debug');
    expect(lines).toHaveLength(1);
    expect(logger.level).toBe('debug');
  });
});
