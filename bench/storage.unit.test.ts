import { expect, it } from 'vitest';
import { pollFigure } from './storage.js';

it('sums up the status polls of an import: median, 99th percentile and the longest wait', () => {
  const latencies = [...Array.from({ length: 98 }, (_, i) => 10 + (i % 5)), 900.4, 13_950.6];
  expect(pollFigure(latencies)).toEqual({ polls: 100, p50Ms: 12, p99Ms: 13_951, maxMs: 13_951 });
  expect(pollFigure([])).toEqual({ polls: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 });
});
