import { describe, expect, it } from 'vitest';
import { canTransition, defaultSlaPolicy, dueAtOf, isDueForAutoConfirm, nextLevel, pausedMs, slaClock, type StatusChange, timedDueAtOf, timedSlaClock } from './appeals.rules.js';

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

  it('stops while waiting on the worker and shifts every deadline by the pause', () => {
    const history: StatusChange[] = [
      { status: 'submitted', at: filed },
      { status: 'acknowledged', at: '2026-11-20T01:00:00.000Z' },
      { status: 'waiting_on_worker', at: '2026-11-20T02:00:00.000Z' },
      { status: 'in_progress', at: '2026-11-22T02:00:00.000Z' },
    ];
    expect(pausedMs(history, filed, '2026-11-23T00:00:00.000Z')).toBe(48 * 3_600_000);
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

  it('gives the same deadlines on instants in milliseconds as on ISO text', () => {
    const history: StatusChange[] = [
      { status: 'submitted', at: filed },
      { status: 'acknowledged', at: '2026-11-20T01:00:00.000Z' },
      { status: 'waiting_on_worker', at: '2026-11-20T02:00:00.000Z' },
      { status: 'in_progress', at: '2026-11-21T02:30:00.000Z' },
    ];
    const policy = { acknowledgeHours: 12, updateHours: 6, resolveHours: 48 };
    for (const now of ['2026-11-20T01:30:00.000Z', '2026-11-20T20:00:00.000Z', '2026-11-21T09:00:00.000Z', '2026-11-24T00:00:00.000Z']) {
      for (const upTo of [1, 3, 4]) {
        const input = { history: history.slice(0, upTo), receivedAt: filed, lastPublicReplyAt: upTo > 3 ? '2026-11-21T02:30:00.000Z' : null, policy, now };
        const text = slaClock(input);
        const timed = timedSlaClock({
          history: input.history.map((c) => ({ status: c.status, at: Date.parse(c.at) })),
          receivedAt: Date.parse(filed),
          lastPublicReplyAt: input.lastPublicReplyAt === null ? null : Date.parse(input.lastPublicReplyAt),
          policy,
          now: Date.parse(now),
        });
        const ms = (d: string | null) => (d === null ? null : Date.parse(d));
        expect(timed).toEqual({ ...text, acknowledgeBy: ms(text.acknowledgeBy), nextUpdateBy: ms(text.nextUpdateBy), resolveBy: ms(text.resolveBy) });
        expect(timedDueAtOf(timed)).toBe(ms(dueAtOf(text)));
      }
    }
  });

  it('confirms an answer by itself after 7 days', () => {
    expect(isDueForAutoConfirm('resolved', '2026-11-18T00:00:00.000Z', '2026-11-25T00:00:00.000Z')).toBe(true);
    expect(isDueForAutoConfirm('resolved', '2026-11-18T00:00:01.000Z', '2026-11-25T00:00:00.000Z')).toBe(false);
    expect(isDueForAutoConfirm('in_progress', '2026-11-01T00:00:00.000Z', '2026-11-25T00:00:00.000Z')).toBe(false);
  });
});
