/**
 * ISO 8601 dates with offsets (DESIGN §7). Inputs like `2020-08-11T10:00:00+03:00` are stored as instants plus
 * the offset they were given in, so responses echo the same wall-clock form.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Parses an ISO 8601 date-time with offset. Returns null when the string is not one. */
export function parseIsoWithOffset(value: string): { date: Date; offsetMinutes: number } | null {
  const m = ISO.exec(value.trim());
  if (!m) return null;
  const date = new Date(value.trim());
  if (Number.isNaN(date.getTime())) return null;
  // `new Date` rolls days past the month end over (2021-02-29 → 03-01); such a date does not exist.
  if (Number(m[3]) > new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate()) return null;
  const tz = m[7].toUpperCase();
  let offsetMinutes = 0;
  if (tz !== 'Z') {
    const sign = tz.startsWith('-') ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  return { date, offsetMinutes };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Formats `date` as `YYYY-MM-DDTHH:MM:SS±HH:MM` in the given offset (minutes east of UTC). */
export function formatIsoWithOffset(date: Date, offsetMinutes = 0): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
