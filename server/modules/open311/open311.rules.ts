// GeoReport v2 knows two statuses: an appeal is "closed" once the agency has answered or ended it, and
// "open" while Convoy still owes an answer. Convoy's own state travels in status_notes, in the reader's language.

import { chinaTime } from '../../core/clock.js';
import type { Bilingual, Locale } from '../../core/i18n.js';
import type { AppealStatus } from '../../db/tables-appeals.js';
import { answeredStatuses, closedStatuses } from '../appeals/appeals.rules.js';

export type Open311Status = 'open' | 'closed';

// Answered (resolved, partly resolved) counts as closed: from the agency's side the work is done, and
// a worker who reopens it makes it "open" again. A referral stays open: Convoy keeps tracking it until
// the body it was referred to has answered.
export const open311ClosedStatuses: readonly AppealStatus[] = [...closedStatuses, ...answeredStatuses];

export function open311StatusOf(status: AppealStatus): Open311Status {
  return open311ClosedStatuses.includes(status) ? 'closed' : 'open';
}

/** The Convoy statuses behind each GeoReport status, for filtering in the database. */
export function appealStatusesOf(wanted: readonly Open311Status[], all: readonly AppealStatus[]): AppealStatus[] {
  return all.filter((s) => wanted.includes(open311StatusOf(s)));
}

export const statusLabels: Record<AppealStatus, Bilingual> = {
  submitted: { zh: '已提交，待受理', en: 'Submitted, awaiting acknowledgement' },
  acknowledged: { zh: '已受理', en: 'Acknowledged' },
  in_progress: { zh: '处理中', en: 'In progress' },
  waiting_on_worker: { zh: '等待劳动者补充情况', en: 'Waiting on the worker for more information' },
  resolved: { zh: '已解决，待劳动者确认', en: 'Resolved, awaiting the worker’s confirmation' },
  partly_resolved: { zh: '部分解决，待劳动者确认', en: 'Partly resolved, awaiting the worker’s confirmation' },
  confirmed: { zh: '劳动者已确认解决', en: 'Confirmed by the worker' },
  reopened: { zh: '劳动者已重新提出', en: 'Reopened by the worker' },
  referred: { zh: '已转交有关部门，继续跟踪', en: 'Referred to the responsible body; still tracked' },
  rejected: { zh: '不予受理', en: 'Rejected' },
  merged: { zh: '已与同类诉求合并办理', en: 'Merged with a similar request' },
};

export type StatusNoteInput = {
  status: AppealStatus;
  unitName: string;
  referredTo: string | null;
  rejectReason: string | null;
};

/**
 * "已受理 · 某支部" plus, where the worker is also told, who it was referred to or why it was rejected.
 * Both are written by handlers for the worker to read; internal notes and replies never appear here.
 */
export function statusNotesOf(input: StatusNoteInput, locale: Locale): string {
  const zh = locale !== 'en';
  const parts = [statusLabels[input.status][zh ? 'zh' : 'en'], input.unitName];
  if (input.status === 'referred' && input.referredTo) parts.push(zh ? `转交：${input.referredTo}` : `Referred to: ${input.referredTo}`);
  if (input.status === 'rejected' && input.rejectReason) parts.push(zh ? `理由：${input.rejectReason}` : `Reason: ${input.rejectReason}`);
  return parts.join(' · ');
}

/**
 * Coordinates rounded to 3 decimals (about 110 m north–south): enough to map where problems cluster,
 * too coarse to point at the doorway, rest stop or home a worker filed from.
 */
export function coarseCoordinate(value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  return Math.round(value * 1000) / 1000;
}

const DAY_MS = 86_400_000;
/** GeoReport's default and largest search window on requested_datetime. */
export const WINDOW_DAYS = 90;
/** GeoReport suggests returning at most 1000 requests per call. */
export const MAX_REQUESTS = 1000;

export type DateWindow = { from: string; to: string };

/**
 * The requested_datetime window of a search: the last 90 days by default, 90 days from a lone
 * start_date or up to a lone end_date; an explicit window longer than that, or backwards, is refused.
 */
export function searchWindow(input: { start?: string; end?: string; now: Date }): DateWindow | { error: Bilingual } {
  const start = input.start === undefined ? undefined : Date.parse(input.start);
  const end = input.end === undefined ? undefined : Date.parse(input.end);
  let from: number;
  let to: number;
  if (start !== undefined && end !== undefined) {
    [from, to] = [start, end];
  } else if (start !== undefined) {
    [from, to] = [start, start + WINDOW_DAYS * DAY_MS];
  } else if (end !== undefined) {
    [from, to] = [end - WINDOW_DAYS * DAY_MS, end];
  } else {
    to = input.now.getTime();
    from = to - WINDOW_DAYS * DAY_MS;
  }
  if (from > to) return { error: { zh: 'start_date 晚于 end_date', en: 'start_date is after end_date' } };
  if (to - from > WINDOW_DAYS * DAY_MS) {
    return { error: { zh: `start_date 与 end_date 相隔不能超过 ${WINDOW_DAYS} 天`, en: `start_date and end_date may not span more than ${WINDOW_DAYS} days` } };
  }
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

const CJK = /\p{Script=Han}/u;

/** A Chinese name is family name first with no space ("王" + "建国"); others read "first last". */
export function contactNameOf(first: string | undefined, last: string | undefined): string | undefined {
  const given = first?.trim() ?? '';
  const family = last?.trim() ?? '';
  if (!given && !family) return undefined;
  if (CJK.test(given) || CJK.test(family)) return `${family}${given}`;
  return [given, family].filter(Boolean).join(' ');
}

/** What the filer is told right after filing: who holds it and when an answer is due. */
export function serviceNoticeOf(unitName: string, expectedBy: string | null, locale: Locale): string {
  if (locale === 'en') {
    const due = expectedBy ? ` An answer is due by ${chinaTime(expectedBy)} (China time).` : '';
    return `Received and passed to ${unitName}.${due}`;
  }
  const due = expectedBy ? `预计 ${chinaTime(expectedBy)}（北京时间）前答复。` : '';
  return `已收到，转交${unitName}办理。${due}`;
}
