import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('configuration', () => {
  it('refuses to start in production without a secret', () => {
    expect(() => loadConfig({}, { demo: false })).toThrow(/CONVOY_SECRET is required/);
    expect(() => loadConfig({ CONVOY_SECRET: 'short' })).toThrow(/at least 32 characters/);
  });

  it('generates and keeps a secret beside the data in demo mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convoy-config-'));
    try {
      const url = `sqlite:${join(dir, 'convoy.db')}`;
      const first = loadConfig({ DATABASE_URL: url }, { demo: true });
      const second = loadConfig({ DATABASE_URL: url }, { demo: true });
      expect(first.secret).toHaveLength(64);
      expect(second.secret).toBe(first.secret);
      expect(readFileSync(join(dir, 'demo-secret'), 'utf8').trim()).toBe(first.secret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the port, host and database from the environment, with defaults', () => {
    const defaults = loadConfig({ CONVOY_SECRET: 'x'.repeat(40) });
    expect(defaults).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: 'sqlite:./data/convoy.db', demo: false });
    const set = loadConfig({ CONVOY_SECRET: 'x'.repeat(40), PORT: '8080', HOST: '0.0.0.0', DATABASE_URL: 'postgres://u@h/db' });
    expect(set).toMatchObject({ port: 8080, host: '0.0.0.0', databaseUrl: 'postgres://u@h/db' });
    expect(() => loadConfig({ CONVOY_SECRET: 'x'.repeat(40), PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('starts the clock at CONVOY_CLOCK_START for benchmarks, and at real time without it', () => {
    expect(loadConfig({ CONVOY_SECRET: 'x'.repeat(40) }).clockStart).toBeNull();
    expect(loadConfig({ CONVOY_SECRET: 'x'.repeat(40), CONVOY_CLOCK_START: '2026-12-05T02:00:00.000Z' }).clockStart?.toISOString()).toBe('2026-12-05T02:00:00.000Z');
    expect(() => loadConfig({ CONVOY_SECRET: 'x'.repeat(40), CONVOY_CLOCK_START: 'tomorrow morning' })).toThrow(/CONVOY_CLOCK_START/);
  });
});
