// Time keys: integer minutes since 1970-01-01T00:00, proleptic Gregorian, no time
// zone, as the Rust core stores them (crates/annals-core/src/date.rs). Pure integer
// arithmetic (Howard Hinnant's civil-day algorithms), correct for negative years.

export const MINUTES_PER_DAY = 1440;
export const MIN_YEAR = -9999;
export const MAX_YEAR = 9999;

export const MONTH_NAMES = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
] as const;
export const MONTH_SHORT = MONTH_NAMES.map((m) => m.slice(0, 3));
export const WEEKDAY_SHORT = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a calendar day (month 1-12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export type Civil = { year: number; month: number; day: number };

/** The calendar day of a day number; inverse of daysFromCivil. */
export function civilFromDays(days: number): Civil {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export type DateTime = Civil & { hour: number; minute: number };

/** The minute key of a calendar day and time of day. */
export function keyOf(year: number, month = 1, day = 1, hour = 0, minute = 0): number {
  return daysFromCivil(year, month, day) * MINUTES_PER_DAY + hour * 60 + minute;
}

/** The calendar day and time a minute key falls in (keys may be fractional). */
export function dateTimeOf(key: number): DateTime {
  const k = Math.floor(key);
  const days = Math.floor(k / MINUTES_PER_DAY);
  const m = k - days * MINUTES_PER_DAY;
  return { ...civilFromDays(days), hour: Math.floor(m / 60), minute: m % 60 };
}

/** Day of the week, 0 = Monday. 1970-01-01 was a Thursday. */
export function weekdayOf(key: number): number {
  const days = Math.floor(Math.floor(key) / MINUTES_PER_DAY);
  return (((days + 3) % 7) + 7) % 7;
}

/** The first minute of the first year Annals accepts, and the first minute after the last. */
export const MIN_KEY = keyOf(MIN_YEAR);
export const MAX_KEY = keyOf(MAX_YEAR + 1);

/** "2002", "44 BCE": ISO year 0 is 1 BCE, as the core writes it. */
export function humanYear(year: number): string {
  return year <= 0 ? `${1 - year} BCE` : String(year);
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** A key as the date text the core parses: `YYYY-MM-DD` or with `THH:MM`. */
export function keyToIso(key: number, withTime = false): string {
  const t = dateTimeOf(key);
  const y = t.year < 0 ? `-${String(-t.year).padStart(4, "0")}` : String(t.year).padStart(4, "0");
  const date = `${y}-${pad2(t.month)}-${pad2(t.day)}`;
  return withTime ? `${date}T${pad2(t.hour)}:${pad2(t.minute)}` : date;
}

/** "8 May 2002, 15:30" for any key, for tooltips and axis context. */
export function keyToHuman(key: number, withTime = false): string {
  const t = dateTimeOf(key);
  const date = `${t.day} ${MONTH_NAMES[t.month - 1]} ${humanYear(t.year)}`;
  return withTime ? `${date}, ${pad2(t.hour)}:${pad2(t.minute)}` : date;
}

export { pad2 };
