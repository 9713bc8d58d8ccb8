import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecurrentSchedule } from '../../src/modules/items/model.js';
import { nextResetAt, parseResetTime } from '../../src/modules/limits/schedule.js';
import { windowEndOf } from '../../src/modules/limits/service.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const schedule = (
  s: Partial<RecurrentSchedule> & Pick<RecurrentSchedule, 'interval_type'>,
): RecurrentSchedule => ({
  time: '00:00:00+00:00',
  day_of_week: null,
  day_of_month: null,
  ...s,
});

describe('parseResetTime', () => {
  it('reads the hour and the offset', () => {
    expect(parseResetTime('02:00:00+03:00')).toEqual({ hour: 2, offsetMinutes: 180 });
    expect(parseResetTime('23:00:00-05:30')).toEqual({ hour: 23, offsetMinutes: -330 });
    expect(parseResetTime('00:00:00+00:00')).toEqual({ hour: 0, offsetMinutes: 0 });
  });
});

describe('nextResetAt', () => {
  it('hourly: the next full hour, strictly after now', () => {
    const s = schedule({ interval_type: 'hourly' });
    expect(iso(nextResetAt(s, at('2024-01-10T10:30:00Z')))).toBe('2024-01-10T11:00:00.000Z');
    expect(iso(nextResetAt(s, at('2024-01-10T11:00:00Z')))).toBe('2024-01-10T12:00:00.000Z');
    expect(iso(nextResetAt(s, at('2024-12-31T23:59:59Z')))).toBe('2025-01-01T00:00:00.000Z');
  });

  it('daily: the hour in the schedule offset', () => {
    const s = schedule({ interval_type: 'daily', time: '02:00:00+03:00' }); // 23:00 UTC
    expect(iso(nextResetAt(s, at('2024-01-10T22:59:00Z')))).toBe('2024-01-10T23:00:00.000Z');
    expect(iso(nextResetAt(s, at('2024-01-10T23:00:00Z')))).toBe('2024-01-11T23:00:00.000Z');
    expect(iso(nextResetAt(s, at('2024-01-10T12:00:00Z')))).toBe('2024-01-10T23:00:00.000Z');
    // 22:00 at -05:00 is 03:00 UTC the next day.
    const west = schedule({ interval_type: 'daily', time: '22:00:00-05:00' });
    expect(iso(nextResetAt(west, at('2024-01-10T12:00:00Z')))).toBe('2024-01-11T03:00:00.000Z');
    expect(iso(nextResetAt(west, at('2024-01-11T02:00:00Z')))).toBe('2024-01-11T03:00:00.000Z');
  });

  it('weekly: the weekday (1 = Monday … 7 = Sunday) in the schedule offset', () => {
    // 2024-01-10 is a Wednesday.
    const monday = schedule({ interval_type: 'weekly', day_of_week: 1 });
    expect(iso(nextResetAt(monday, at('2024-01-10T12:00:00Z')))).toBe('2024-01-15T00:00:00.000Z');
    expect(iso(nextResetAt(monday, at('2024-01-15T00:00:00Z')))).toBe('2024-01-22T00:00:00.000Z');
    expect(iso(nextResetAt(monday, at('2024-01-14T23:59:59Z')))).toBe('2024-01-15T00:00:00.000Z');
    const wednesday = schedule({ interval_type: 'weekly', day_of_week: 3, time: '10:00:00+00:00' });
    expect(iso(nextResetAt(wednesday, at('2024-01-10T09:00:00Z')))).toBe('2024-01-10T10:00:00.000Z');
    expect(iso(nextResetAt(wednesday, at('2024-01-10T11:00:00Z')))).toBe('2024-01-17T10:00:00.000Z');
    // Sunday 22:00 at -05:00 = Monday 03:00 UTC; on Monday 01:00 UTC it is still Sunday there.
    const sunday = schedule({ interval_type: 'weekly', day_of_week: 7, time: '22:00:00-05:00' });
    expect(iso(nextResetAt(sunday, at('2024-01-15T01:00:00Z')))).toBe('2024-01-15T03:00:00.000Z');
    expect(iso(nextResetAt(sunday, at('2024-01-15T04:00:00Z')))).toBe('2024-01-22T03:00:00.000Z');
    // Monday 01:00 at +03:00 is Sunday 22:00 UTC.
    const east = schedule({ interval_type: 'weekly', day_of_week: 1, time: '01:00:00+03:00' });
    expect(iso(nextResetAt(east, at('2024-01-10T12:00:00Z')))).toBe('2024-01-14T22:00:00.000Z');
  });

  it('monthly: the day of the month, clamped to the month end', () => {
    const s31 = schedule({ interval_type: 'monthly', day_of_month: 31 });
    expect(iso(nextResetAt(s31, at('2024-01-15T00:00:00Z')))).toBe('2024-01-31T00:00:00.000Z');
    expect(iso(nextResetAt(s31, at('2024-01-31T12:00:00Z')))).toBe('2024-02-29T00:00:00.000Z'); // leap year
    expect(iso(nextResetAt(s31, at('2023-01-31T12:00:00Z')))).toBe('2023-02-28T00:00:00.000Z');
    expect(iso(nextResetAt(s31, at('2024-02-29T00:00:00Z')))).toBe('2024-03-31T00:00:00.000Z');
    expect(iso(nextResetAt(s31, at('2024-04-15T00:00:00Z')))).toBe('2024-04-30T00:00:00.000Z');
    expect(iso(nextResetAt(s31, at('2024-12-31T00:00:00Z')))).toBe('2025-01-31T00:00:00.000Z');
    const s30 = schedule({ interval_type: 'monthly', day_of_month: 30 });
    expect(iso(nextResetAt(s30, at('2023-01-30T01:00:00Z')))).toBe('2023-02-28T00:00:00.000Z');
    expect(iso(nextResetAt(s30, at('2023-02-28T00:00:00Z')))).toBe('2023-03-30T00:00:00.000Z');
    const first = schedule({ interval_type: 'monthly', day_of_month: 1, time: '02:00:00+03:00' }); // 23:00 UTC the day before
    expect(iso(nextResetAt(first, at('2024-12-31T22:00:00Z')))).toBe('2024-12-31T23:00:00.000Z');
    expect(iso(nextResetAt(first, at('2024-12-31T23:00:00Z')))).toBe('2025-01-31T23:00:00.000Z');
  });

  it('is after now, at most one interval later, at the scheduled wall clock (property)', () => {
    const offsets = fc.integer({ min: -12 * 4, max: 14 * 4 }).map((q) => q * 15);
    const sched = fc.record({
      interval_type: fc.constantFrom('hourly', 'daily', 'weekly', 'monthly') as fc.Arbitrary<
        RecurrentSchedule['interval_type']
      >,
      hour: fc.integer({ min: 0, max: 23 }),
      offset: offsets,
      day_of_week: fc.option(fc.integer({ min: 1, max: 7 }), { nil: null }),
      day_of_month: fc.option(fc.integer({ min: 1, max: 31 }), { nil: null }),
    });
    const interval = { hourly: HOUR, daily: DAY, weekly: 7 * DAY, monthly: 31 * DAY };
    fc.assert(
      fc.property(sched, fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), (r, now) => {
        const sign = r.offset < 0 ? '-' : '+';
        const abs = Math.abs(r.offset);
        const pad = (n: number) => String(n).padStart(2, '0');
        const s: RecurrentSchedule = {
          interval_type: r.interval_type,
          time: `${pad(r.hour)}:00:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`,
          day_of_week: r.day_of_week,
          day_of_month: r.day_of_month,
        };
        const next = nextResetAt(s, now);
        expect(next).toBeGreaterThan(now);
        expect(next).toBeLessThanOrEqual(now + interval[r.interval_type]);
        if (r.interval_type === 'hourly') {
          expect(next % HOUR).toBe(0);
          return;
        }
        const local = new Date(next + r.offset * 60_000);
        expect(local.getUTCHours()).toBe(r.hour);
        expect(local.getUTCMinutes()).toBe(0);
        expect(local.getUTCSeconds()).toBe(0);
        if (r.interval_type === 'weekly') expect(local.getUTCDay()).toBe((r.day_of_week ?? 1) % 7);
        if (r.interval_type === 'monthly') {
          const dim = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 0)).getUTCDate();
          expect(local.getUTCDate()).toBe(Math.min(r.day_of_month ?? 1, dim));
        }
        // Nothing earlier qualifies: one interval before the result is not after now (for fixed-length ones).
        if (r.interval_type === 'daily' || r.interval_type === 'weekly') {
          expect(next - interval[r.interval_type]).toBeLessThanOrEqual(now);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('per-user limit windows (windowEndOf: a count belongs to the window ending at the next reset)', () => {
  const config = (s: RecurrentSchedule) => ({
    item_id: 1,
    sku: 'x',
    per_user_total: 1,
    per_item_total: null,
    recurrent_interval_type: s.interval_type,
    recurrent_time: s.time,
    recurrent_day_of_week: s.day_of_week,
    recurrent_day_of_month: s.day_of_month,
    pre_order_enabled: null,
  });

  it('no schedule: one window forever', () => {
    expect(
      windowEndOf({ ...config(schedule({ interval_type: 'daily' })), recurrent_interval_type: null }, 0),
    ).toBe(null);
  });

  it('two instants share a window exactly when no reset lies between them (property, any zone, month ends)', () => {
    const pad = (n: number) => String(n).padStart(2, '0');
    const arb = fc.record({
      interval_type: fc.constantFrom('hourly', 'daily', 'weekly', 'monthly') as fc.Arbitrary<
        RecurrentSchedule['interval_type']
      >,
      hour: fc.integer({ min: 0, max: 23 }),
      offset: fc.integer({ min: -12 * 4, max: 14 * 4 }).map((q) => q * 15),
      day_of_week: fc.option(fc.integer({ min: 1, max: 7 }), { nil: null }),
      day_of_month: fc.option(fc.integer({ min: 28, max: 31 }), { nil: null }),
    });
    // instants around month ends of leap and common years
    const instant = fc
      .tuple(
        fc.integer({ min: 2023, max: 2025 }),
        fc.integer({ min: 0, max: 11 }),
        fc.integer({ min: -3 * DAY, max: 3 * DAY }),
      )
      .map(([y, m, d]) => Date.UTC(y, m + 1, 1) + d);
    fc.assert(
      fc.property(arb, instant, fc.integer({ min: 1, max: 40 * DAY }), (r, t1, gap) => {
        const abs = Math.abs(r.offset);
        const s: RecurrentSchedule = {
          interval_type: r.interval_type,
          time: `${pad(r.hour)}:00:00${r.offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`,
          day_of_week: r.day_of_week,
          day_of_month: r.day_of_month,
        };
        const c = config(s);
        const t2 = t1 + gap;
        const w1 = windowEndOf(c, t1)!.getTime();
        const w2 = windowEndOf(c, t2)!.getTime();
        expect(w1).toBe(nextResetAt(s, t1));
        if (t2 < w1) expect(w2).toBe(w1);
        else expect(w2).toBeGreaterThan(w1);
      }),
      { numRuns: 2000 },
    );
  });
});
