// Partial dates as the core parses and checks them (crates/annals-core/src/date.rs),
// reproduced for inline form errors. The server stays the authority; the messages
// match its reasons so a user sees the same words from either side.
import { MAX_YEAR, MIN_YEAR, MONTH_NAMES, daysInMonth, humanYear, keyOf, pad2 } from "./time";
import type { Precision } from "../bindings/Precision";

export type PartialDate = {
  year: number;
  month: number | null;
  day: number | null;
  /** Minutes after midnight, only at minute precision. */
  minuteOfDay: number | null;
};

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

function checkYear(year: number): string | null {
  return year >= MIN_YEAR && year <= MAX_YEAR ? null : `year ${year} is outside ${MIN_YEAR}..${MAX_YEAR}`;
}

function parseNumber(part: string, what: string): number | string {
  if (part === "" || part.length > 9 || !/^[0-9]+$/.test(part)) return `${what} must be a number`;
  return Number(part);
}

/** Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` (a space may stand for
 *  the `T`), with a leading `-` for years before 1 CE. */
export function parsePartialDate(input: string): Parsed<PartialDate> {
  const s = input.trim();
  if (s === "") return fail("the date is empty");
  const negative = s.startsWith("-");
  const rest = negative ? s.slice(1) : s;
  const cut = rest.search(/[T ]/);
  const datePart = cut < 0 ? rest : rest.slice(0, cut);
  const timePart = cut < 0 ? null : rest.slice(cut + 1).trim();
  const parts = datePart.split("-");
  const yearText = parts[0] ?? "";
  if (yearText.length < 4) return fail("expected a four-digit year, as in 2002-05-08");
  const y = parseNumber(yearText, "the year");
  if (typeof y === "string") return fail(y);
  const year = negative ? -y : y;
  const yearError = checkYear(year);
  if (yearError) return fail(yearError);
  let month: number | null = null;
  let day: number | null = null;
  if (parts.length > 1) {
    const m = parseNumber(parts[1] ?? "", "the month");
    if (typeof m === "string") return fail(m);
    month = m;
  }
  if (parts.length > 2) {
    const d = parseNumber(parts[2] ?? "", "the day");
    if (typeof d === "string") return fail(d);
    day = d;
  }
  if (parts.length > 3) return fail("too many parts; expected YYYY-MM-DD");
  if (month === null) {
    if (timePart !== null) return fail("a time needs a full date before it");
    return { ok: true, value: { year, month: null, day: null, minuteOfDay: null } };
  }
  if (month < 1 || month > 12) return fail(`there is no month ${month}`);
  if (day === null) {
    if (timePart !== null) return fail("a time needs a full date before it");
    return { ok: true, value: { year, month, day: null, minuteOfDay: null } };
  }
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) return fail(`${MONTH_NAMES[month - 1]} ${year} has ${last} days`);
  if (timePart === null) return { ok: true, value: { year, month, day, minuteOfDay: null } };
  const colon = timePart.indexOf(":");
  if (colon < 0) return fail("expected a time as HH:MM");
  const h = parseNumber(timePart.slice(0, colon), "the hour");
  if (typeof h === "string") return fail(h);
  const min = parseNumber(timePart.slice(colon + 1), "the minute");
  if (typeof min === "string") return fail(min);
  if (h > 23 || min > 59) return fail("time of day must be between 00:00 and 23:59");
  return { ok: true, value: { year, month, day, minuteOfDay: h * 60 + min } };
}

export function precisionOf(d: PartialDate): Precision {
  if (d.minuteOfDay !== null) return "minute";
  if (d.day !== null) return "day";
  if (d.month !== null) return "month";
  return "year";
}

/** The first minute the date covers. */
export function loOf(d: PartialDate): number {
  return keyOf(d.year, d.month ?? 1, d.day ?? 1) + (d.minuteOfDay ?? 0);
}

/** The first minute after the date. */
export function hiOf(d: PartialDate): number {
  switch (precisionOf(d)) {
    case "minute":
      return loOf(d) + 1;
    case "day":
      return loOf(d) + 1440;
    case "month": {
      const m = d.month ?? 1;
      return m === 12 ? keyOf(d.year + 1, 1, 1) : keyOf(d.year, m + 1, 1);
    }
    case "year":
      return keyOf(d.year + 1, 1, 1);
  }
}

/** The canonical text form the core writes: `2002-05-08T15:30`, `-0044`. */
export function formatPartialDate(d: PartialDate): string {
  let s = d.year < 0 ? `-${String(-d.year).padStart(4, "0")}` : String(d.year).padStart(4, "0");
  if (d.month !== null) s += `-${pad2(d.month)}`;
  if (d.day !== null) s += `-${pad2(d.day)}`;
  if (d.minuteOfDay !== null) s += `T${pad2(Math.floor(d.minuteOfDay / 60))}:${pad2(d.minuteOfDay % 60)}`;
  return s;
}

/** "8 May 2002", "May 2002", "2002", "44 BCE", "8 May 2002, 15:30". */
export function humanPartialDate(d: PartialDate): string {
  const year = humanYear(d.year);
  if (d.month === null) return year;
  const month = MONTH_NAMES[d.month - 1] ?? "";
  if (d.day === null) return `${month} ${year}`;
  if (d.minuteOfDay === null) return `${d.day} ${month} ${year}`;
  return `${d.day} ${month} ${year}, ${pad2(Math.floor(d.minuteOfDay / 60))}:${pad2(d.minuteOfDay % 60)}`;
}

function samePartialDate(a: PartialDate, b: PartialDate): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.minuteOfDay === b.minuteOfDay;
}

/** "1950–1953", "8–9 May 2002", "March–May 2002", with "c. " when approximate. */
export function humanEventDate(start: PartialDate, end: PartialDate | null, approximate: boolean): string {
  let text: string;
  if (end === null || samePartialDate(start, end)) {
    text = humanPartialDate(start);
  } else {
    const p = precisionOf(start);
    const same = p === precisionOf(end);
    if (same && p === "year") text = `${humanYear(start.year)}–${humanYear(end.year)}`;
    else if (same && p === "month" && start.year === end.year)
      text = `${MONTH_NAMES[(start.month ?? 1) - 1]}–${MONTH_NAMES[(end.month ?? 1) - 1]} ${humanYear(start.year)}`;
    else if (same && p === "day" && start.year === end.year && start.month === end.month)
      text = `${start.day}–${end.day} ${MONTH_NAMES[(start.month ?? 1) - 1]} ${humanYear(start.year)}`;
    else text = `${humanPartialDate(start)} – ${humanPartialDate(end)}`;
  }
  return approximate ? `c. ${text}` : text;
}

export type DateFieldErrors = { start?: string; end?: string };

export type CheckedEventDate = {
  start: PartialDate;
  end: PartialDate | null;
  errors: DateFieldErrors;
};

/** Checks a start and optional end the way the core's EventDate::new does, with
 *  each problem attached to the field a person must fix. */
export function checkEventDate(startText: string, endText: string): CheckedEventDate | { errors: DateFieldErrors } {
  const errors: DateFieldErrors = {};
  const start = parsePartialDate(startText);
  if (!start.ok) errors.start = start.reason;
  let end: PartialDate | null = null;
  if (endText.trim() !== "") {
    const e = parsePartialDate(endText);
    if (!e.ok) errors.end = e.reason;
    else end = e.value;
  }
  if (start.ok && end !== null && (hiOf(end) <= loOf(start.value) || loOf(end) < loOf(start.value))) {
    errors.end = "the end is before the start";
  }
  if (!start.ok || errors.end !== undefined) return { errors };
  return { start: start.value, end, errors };
}
