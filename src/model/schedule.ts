/**
 * Recurrent limit resets (seed-details §2.5–2.8): a per-user limit resets daily, weekly, monthly or hourly at
 * an hour given with its UTC offset (`HH:00:00±HH:MM`). Pure functions of (schedule, now) — the clock is
 * injected so tests can cross time zones and month ends.
 */
import type { RecurrentSchedule } from './item.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** `"02:00:00+03:00"` → { hour: 2, offsetMinutes: 180 }. */
export function parseResetTime(time: string): { hour: number; offsetMinutes: number } {
  const m = /^(\d{2}):\d{2}:\d{2}([+-])(\d{2}):(\d{2})$/.exec(time);
  if (!m) return { hour: 0, offsetMinutes: 0 };
  const sign = m[2] === '-' ? -1 : 1;
  return { hour: Number(m[1]), offsetMinutes: sign * (Number(m[3]) * 60 + Number(m[4])) };
}

const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m + 1, 0)).getUTCDate();

/**
 * The first reset instant strictly after `now` (ms since epoch).
 * weekly: `day_of_week` 1 = Monday … 7 = Sunday (default 1); monthly: `day_of_month` 1–31, clamped to the
 * month's last day (default 1); hourly: the next full hour.
 */
export function nextResetAt(s: RecurrentSchedule, now: number): number {
  if (s.interval_type === 'hourly') return Math.floor(now / HOUR) * HOUR + HOUR;
  const { hour, offsetMinutes } = parseResetTime(s.time);
  const shift = offsetMinutes * 60_000;
  const local = new Date(now + shift); // wall clock of the schedule's zone, read with getUTC*
  const y = local.getUTCFullYear();
  const mo = local.getUTCMonth();
  const d = local.getUTCDate();
  const toInstant = (yy: number, mm: number, dd: number) => Date.UTC(yy, mm, dd, hour) - shift;

  if (s.interval_type === 'daily') {
    const today = toInstant(y, mo, d);
    return today > now ? today : today + DAY;
  }
  if (s.interval_type === 'weekly') {
    const want = (s.day_of_week ?? 1) % 7; // JS: 0 = Sunday
    const delta = (want - local.getUTCDay() + 7) % 7;
    const candidate = toInstant(y, mo, d + delta);
    return candidate > now ? candidate : candidate + 7 * DAY;
  }
  // monthly
  const want = s.day_of_month ?? 1;
  const inMonth = (yy: number, mm: number) => toInstant(yy, mm, Math.min(want, daysInMonth(yy, mm)));
  const thisMonth = inMonth(y, mo);
  if (thisMonth > now) return thisMonth;
  return mo === 11 ? inMonth(y + 1, 0) : inMonth(y, mo + 1);
}
