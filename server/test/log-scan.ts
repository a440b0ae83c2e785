// The log scan after `npm test`: every log the suites' servers wrote (test-logs.ts) is searched for every
// phone and ID number the suites stored (recorded from their databases, the demo seed's included) and
// every one written in the test sources, in the forms people write them: plain, with spaces or dashes,
// with +86, an ID's x in lower case, a phone's last eight digits. It also checks it had logs to read:
// a scan of nothing would pass whatever the servers logged.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { idCardCheckCharacter } from '../core/sensitive.js';
import { logKinds, type LogKind, VALUES_FOLDER } from './test-logs.js';

export type Needle = { kind: 'phone' | 'phone, last 8 digits' | 'ID number'; value: string };
export type Finding = { file: string; line: number; needle: Needle };

const PHONE = /^1[3-9]\d{9}$/;
const ID_NUMBER = /^\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]$/;

export const isPhone = (value: string) => PHONE.test(value);
/** An 18-character resident ID number with a valid check character (GB 11643). */
export const isIdNumber = (value: string) => ID_NUMBER.test(value) && idCardCheckCharacter(value.slice(0, 17)) === value[17];

/** The compact forms a value is looked for in: separators and a +86 are dropped before comparing. */
export function needlesOf(values: Iterable<string>): Map<string, Needle> {
  const needles = new Map<string, Needle>();
  for (const raw of values) {
    const value = raw.replace(/[\s-]/g, '').toUpperCase();
    if (isPhone(value)) {
      needles.set(value, { kind: 'phone', value });
      needles.set(`86${value}`, { kind: 'phone', value });
      if (!needles.has(value.slice(-8))) needles.set(value.slice(-8), { kind: 'phone, last 8 digits', value });
    } else if (isIdNumber(value)) {
      needles.set(value, { kind: 'ID number', value });
    }
  }
  return needles;
}

// A run of digits (and an ID's X) that single spaces or dashes may split: "139 1234 5678", "510104-1988…".
const DIGIT_RUN = /\d(?:[ -]?[\dXx])*/g;
const LENGTHS = new Set([8, 11, 13, 18]);

// A last-8 match stands only as a whole token of its own: eight digits are common in logs (a UUID's
// first group, the decimals of a response time), a phone's tail written alone is not.
const WORD_CHAR = /[\dA-Za-z._-]/;

/**
 * The needles one line holds. A token is a run of digit groups; every stretch of whole groups in it is
 * compared once its separators are dropped, so a number is found however it is split, but never as
 * part of a longer number (a timestamp's digits are not a phone's).
 */
export function findInLine(line: string, needles: ReadonlyMap<string, Needle>): Needle[] {
  const found: Needle[] = [];
  for (const match of line.matchAll(DIGIT_RUN)) {
    const groups = match[0].toUpperCase().split(/[ -]/);
    const before = line[match.index - 1] ?? ' ';
    const after = line[match.index + match[0].length] ?? ' ';
    const standsAlone = !WORD_CHAR.test(before) && !WORD_CHAR.test(after);
    for (let start = 0; start < groups.length; start++) {
      let compact = '';
      for (let end = start; end < groups.length && compact.length < 18; end++) {
        compact += groups[end];
        if (!LENGTHS.has(compact.length)) continue;
        const needle = needles.get(compact);
        if (!needle) continue;
        if (needle.kind === 'phone, last 8 digits' && !(standsAlone && start === 0 && end === groups.length - 1)) continue;
        found.push(needle);
      }
    }
  }
  return found;
}

/** Phone and ID numbers written as literals in source files (tests that send numbers the database never keeps). */
export function literalsIn(text: string): string[] {
  const values = new Set<string>();
  for (const match of text.matchAll(/(?<![\dA-Za-z])(1[3-9]\d{9}|\d{17}[\dXx])(?![\dA-Za-z])/g)) {
    const value = match[1]!.toUpperCase();
    if (isPhone(value) || isIdNumber(value)) values.add(value);
  }
  return [...values];
}

function filesUnder(folder: string, suffixes: readonly string[]): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && suffixes.some((s) => entry.name.endsWith(s)))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

export type ScanReport = {
  findings: Finding[];
  /** Reasons the scan cannot vouch for the run: no logs of an expected kind, an empty file, no requests logged. */
  problems: string[];
  files: Record<LogKind, number>;
  requestLines: Record<LogKind, number>;
  lines: number;
  needles: number;
  values: number;
};

// Fastify's own request lines: at trace level every request logs both.
const REQUEST_LINE = /"msg":"(incoming request|request completed)"/;

/**
 * Scans the run folder's logs for the recorded values plus `extraValues` (the test sources' literals).
 * `expect` names the kinds of log the run must have produced, each with request lines in it.
 */
export function scanLogDir(dir: string, options: { extraValues?: Iterable<string>; expect?: readonly LogKind[] } = {}): ScanReport {
  const values = new Set<string>(options.extraValues ?? []);
  for (const file of filesUnder(join(dir, VALUES_FOLDER), ['.txt'])) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const value = line.split('\t')[1];
      if (value) values.add(value);
    }
  }
  const needles = needlesOf(values);
  const report: ScanReport = { findings: [], problems: [], files: { api: 0, e2e: 0, process: 0 }, requestLines: { api: 0, e2e: 0, process: 0 }, lines: 0, needles: needles.size, values: values.size };
  if (needles.size === 0) report.problems.push('no phone or ID numbers to look for: the suites recorded none');
  for (const kind of logKinds) {
    for (const file of filesUnder(join(dir, kind), ['.log'])) {
      report.files[kind]++;
      const lines = readFileSync(file, 'utf8').split('\n');
      if (lines.every((l) => l.trim() === '')) report.problems.push(`${relative(dir, file)} is empty`);
      lines.forEach((line, index) => {
        if (line === '') return;
        report.lines++;
        if (REQUEST_LINE.test(line)) report.requestLines[kind]++;
        for (const needle of findInLine(line, needles)) report.findings.push({ file, line: index + 1, needle });
      });
    }
  }
  for (const kind of options.expect ?? []) {
    if (report.files[kind] === 0) report.problems.push(`no ${kind} logs in ${join(dir, kind)}`);
    else if (report.requestLines[kind] === 0) report.problems.push(`the ${kind} logs hold no request lines: is the level trace?`);
  }
  return report;
}

/** A value as the report shows it: enough to find it in the test data, not the whole number. */
export const masked = (value: string) => (value.length <= 8 ? `****${value.slice(-4)}` : `${value.slice(0, 3)}****${value.slice(-4)}`);
