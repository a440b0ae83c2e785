import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// A string that exists in one language only shows up as a raw key to half of the users.
const webRoot = join(import.meta.dirname, '..');

function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => keysOf(child, prefix ? `${prefix}.${key}` : key));
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}

const localeFolders = [
  join(webRoot, 'locales'),
  ...readdirSync(join(webRoot, 'features'))
    .map((feature) => join(webRoot, 'features', feature, 'locales'))
    .filter((folder) => existsSync(folder)),
];

describe('every interface string exists in Chinese and in English', () => {
  it.each(localeFolders)('%s', (folder) => {
    const zh = keysOf(readJson(join(folder, 'zh-CN.json'))).sort();
    const en = keysOf(readJson(join(folder, 'en.json'))).sort();
    expect(zh.filter((key) => !en.includes(key))).toEqual([]);
    expect(en.filter((key) => !zh.includes(key))).toEqual([]);
    expect(zh.length).toBeGreaterThan(0);
  });
});
