import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIsoWithOffset, parseIsoWithOffset } from '../../src/lib/dates.js';

describe('parseIsoWithOffset', () => {
  it('parses the instant and keeps the offset it was given in', () => {
    const r = parseIsoWithOffset('2020-08-11T10:00:00+03:00');
    expect(r?.date.toISOString()).toBe('2020-08-11T07:00:00.000Z');
    expect(r?.offsetMinutes).toBe(180);
  });

  it.each([
    ['2026-03-16T10:00:00+03:00', '2026-03-16T07:00:00.000Z', 180],
    ['2026-03-16T10:00:00Z', '2026-03-16T10:00:00.000Z', 0],
    ['2026-03-16T10:00:00z', '2026-03-16T10:00:00.000Z', 0],
    ['2026-03-16T10:00:00-05:30', '2026-03-16T15:30:00.000Z', -330],
    ['2026-03-16T10:00:00+0545', '2026-03-16T04:15:00.000Z', 345],
    ['2026-03-16T10:00:00.250+01:00', '2026-03-16T09:00:00.250Z', 60],
    ['2026-03-16T10:00+01:00', '2026-03-16T09:00:00.000Z', 60],
    ['2024-02-29T23:00:00-02:00', '2024-03-01T01:00:00.000Z', -120],
  ])('%s → %s (offset %i)', (input, iso, offset) => {
    const r = parseIsoWithOffset(input);
    expect(r?.date.toISOString()).toBe(iso);
    expect(r?.offsetMinutes).toBe(offset);
  });

  it.each([
    '2020-08-11',
    '2020-08-11T10:00:00',
    'yesterday',
    '',
    '2020-13-11T10:00:00Z',
    '2020-08-11T25:00:00Z',
    '2020-08-32T10:00:00Z',
    // Days that do not exist in their month must not roll over into the next one.
    '2021-02-29T10:00:00Z',
    '2020-02-30T10:00:00+03:00',
    '2020-04-31T00:00:00Z',
  ])('rejects %j', (input) => {
    expect(parseIsoWithOffset(input)).toBeNull();
  });
});

describe('formatIsoWithOffset', () => {
  it('writes the wall clock of the offset', () => {
    const d = new Date('2020-08-11T07:00:00Z');
    expect(formatIsoWithOffset(d, 180)).toBe('2020-08-11T10:00:00+03:00');
    expect(formatIsoWithOffset(d)).toBe('2020-08-11T07:00:00+00:00');
    expect(formatIsoWithOffset(d, -330)).toBe('2020-08-11T01:30:00-05:30');
    expect(formatIsoWithOffset(new Date('2024-01-01T02:00:00Z'), -180)).toBe('2023-12-31T23:00:00-03:00');
  });

  it('round-trips through parseIsoWithOffset for any instant and offset (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1971, 0, 1) / 1000, max: Date.UTC(2200, 0, 1) / 1000 }),
        fc.integer({ min: -12 * 4, max: 14 * 4 }).map((q) => q * 15),
        (seconds, offset) => {
          const date = new Date(seconds * 1000);
          const text = formatIsoWithOffset(date, offset);
          expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
          const back = parseIsoWithOffset(text);
          expect(back?.date.getTime()).toBe(date.getTime());
          expect(back?.offsetMinutes).toBe(offset);
          expect(formatIsoWithOffset(back!.date, back!.offsetMinutes)).toBe(text);
        },
      ),
    );
  });
});
