import { describe, expect, it } from 'vitest';
import { canTransition, defaultSlaPolicy, isDueForAutoConfirm, nextLevel, pausedMs, slaClock, type StatusChange, timedDueAtOf, timedSlaClock } from './appeals.rules.js';

describe('appeal status machine', () => {
  it('allows the help-desk path and the worker’s answer', () => {
    expect(canTransition('submitted', 'acknowledged')).toBe(true);
    expect(canTransition('acknowledged', 'in_progress')).toBe(true);
    expect(canTransition('in_progress', 'waiting_on_worker')).toBe(true);
    expect(canTransition('waiting_on_worker', 'in_progress')).toBe(true);
    expect(canTransition('in_progress', 'resolved')).toBe(true);
    expect(canTransition('resolved', 'confirmed')).toBe(true);
    expect(canTransition('resolved', 'reopened')).toBe(true);
    expect(canTransition('reopened', 'in_progress')).toBe(true);
  });

  it('refuses skipping ahead, and anything after a final state', () => {
    expect(canTransition('submitted', 'resolved')).toBe(false);
    expect(canTransition('in_progress', 'confirmed')).toBe(false);
    expect(canTransition('confirmed', 'reopened')).toBe(false);
    expect(canTransition('rejected', 'in_progress')).toBe(false);
    expect(canTransition('merged', 'acknowledged')).toBe(false);
  });

  it('climbs branch → platform committee → industry committee, and no further', () => {
    expect(nextLevel('branch')).toBe('platform_committee');
    expect(nextLevel('platform_committee')).toBe('industry_committee');
    expect(nextLevel('industry_committee')).toBeNull();
  });
});

describe('SLA clock', () => {
  const filed = '2026-11-20T00:00:00.000Z';

  it('gives 24 h to acknowledge and 72 h to resolve, and reports breaches', () => {
    const history: StatusChange[] = [{ status: 'submitted', at: filed }];
    const fresh = slaClock({ history, receivedAt: filed, lastPublicReplyAt: null, policy: defaultSlaPolicy, now: '2026-11-20T10:00:00.000Z' });
    expect(fresh).toMatchObject({ acknowledgeBy: '2026-11-21T00:00:00.000Z', resolveBy: '2026-11-23T00:00:00.000Z', breached: [] });
    const late = slaClock({ history, receivedAt: filed, lastPublicReplyAt: null, policy: defaultSlaPolicy, now: '2026-11-21T00:00:01.000Z' });
    expect(late.breached).toEqual(['acknowledge']);
  });

  it('asks for a public update every 24 h once acknowledged', () => {
    const history: StatusChange[] = [
      { status: 'submitted', at: filed },
      { status: 'acknowledged', at: '2026-11-20T02:00:00.000Z' },
    ];
    const clock = slaClock({ history, receivedAt: filed, lastPublicReplyAt: '2026-11-20T05:00:00.000Z', policy: defaultSlaPolicy, now: '2026-11-21T06:00:00.000Z' });
    expect(clock).toMatchObject({ acknowledgeBy: null, nextUpdateBy: '2026-11-21T05:00:00.000Z', breached: ['update'] });
  });

  // Acknowledged after an hour, then 48 h waiting on the worker.
  const pausedTwoDays: StatusChange[] = [
    { status: 'submitted', at: filed },
    { status: 'acknowledged', at: '2026-11-20T01:00:00.000Z' },
    { status: 'waiting_on_worker', at: '2026-11-20T02:00:00.000Z' },
    { status: 'in_progress', at: '2026-11-22T02:00:00.000Z' },
  ];
  const inMs = (history: readonly StatusChange[]) => history.map((c) => ({ status: c.status, at: Date.parse(c.at) }));

  it('stops while waiting on the worker and shifts every deadline by the pause', () => {
    const history = pausedTwoDays;
    expect(pausedMs(inMs(history), Date.parse(filed), Date.parse('2026-11-23T00:00:00.000Z'))).toBe(48 * 3_600_000);
    const clock = slaClock({ history, receivedAt: filed, lastPublicReplyAt: '2026-11-22T02:00:00.000Z', policy: defaultSlaPolicy, now: '2026-11-23T12:00:00.000Z' });
    expect(clock.resolveBy).toBe('2026-11-25T00:00:00.000Z');
    expect(clock.breached).toEqual([]);
    const waiting = slaClock({ history: history.slice(0, 3), receivedAt: filed, lastPublicReplyAt: null, policy: defaultSlaPolicy, now: '2026-11-30T00:00:00.000Z' });
    expect(waiting).toMatchObject({ paused: true, breached: [] });
  });

  it('has no deadlines once answered or closed', () => {
    const history: StatusChange[] = [
      { status: 'submitted', at: filed },
      { status: 'resolved', at: '2026-11-21T00:00:00.000Z' },
    ];
    expect(slaClock({ history, receivedAt: filed, lastPublicReplyAt: null, policy: defaultSlaPolicy, now: '2026-12-01T00:00:00.000Z' })).toMatchObject({ resolveBy: null, breached: [] });
  });

  it('computes on instants in milliseconds, and the due time is the earliest running deadline, none while paused', () => {
    const policy = { acknowledgeHours: 12, updateHours: 6, resolveHours: 48 };
    const at = (text: string) => Date.parse(text);
    const clockAt = (upTo: number, lastPublicReplyAt: string | null, now: string) =>
      timedSlaClock({ history: inMs(pausedTwoDays.slice(0, upTo)), receivedAt: at(filed), lastPublicReplyAt: lastPublicReplyAt === null ? null : at(lastPublicReplyAt), policy, now: at(now) });
    // Only filed: acknowledge by 12:00 comes before resolving by 11-22 00:00.
    const fresh = clockAt(1, null, '2026-11-20T20:00:00.000Z');
    expect(fresh).toEqual({ acknowledgeBy: at('2026-11-20T12:00:00.000Z'), nextUpdateBy: null, resolveBy: at('2026-11-22T00:00:00.000Z'), paused: false, breached: ['acknowledge'] });
    expect(timedDueAtOf(fresh)).toBe(at('2026-11-20T12:00:00.000Z'));
    // Waiting on the worker: deadlines pushed by the pause so far, none due.
    const waiting = clockAt(3, null, '2026-11-21T02:00:00.000Z');
    expect(waiting).toMatchObject({ paused: true, resolveBy: at('2026-11-23T00:00:00.000Z'), breached: [] });
    expect(timedDueAtOf(waiting)).toBeNull();
    // Back at work after 48 h: the update owed 6 h after the acknowledgment, moved by the pause, comes first.
    const working = clockAt(4, null, '2026-11-22T03:00:00.000Z');
    expect(working).toMatchObject({ acknowledgeBy: null, nextUpdateBy: at('2026-11-22T07:00:00.000Z'), resolveBy: at('2026-11-24T00:00:00.000Z'), breached: [] });
    expect(timedDueAtOf(working)).toBe(at('2026-11-22T07:00:00.000Z'));
  });

  it('confirms an answer by itself after 7 days', () => {
    expect(isDueForAutoConfirm('resolved', '2026-11-18T00:00:00.000Z', '2026-11-25T00:00:00.000Z')).toBe(true);
    expect(isDueForAutoConfirm('resolved', '2026-11-18T00:00:01.000Z', '2026-11-25T00:00:00.000Z')).toBe(false);
    expect(isDueForAutoConfirm('in_progress', '2026-11-01T00:00:00.000Z', '2026-11-25T00:00:00.000Z')).toBe(false);
  });
});
