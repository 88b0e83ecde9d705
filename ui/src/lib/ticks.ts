// Axis ticks that adapt from millennia to minutes. A step is chosen so that its
// labels, measured or estimated, never collide: the finest step whose spacing is
// wider than its widest label.
import {
  MINUTES_PER_DAY, MONTH_NAMES, MONTH_SHORT, WEEKDAY_SHORT, dateTimeOf, daysInMonth, humanYear, keyOf, pad2, weekdayOf,
} from "./time";

export type TickUnit = "year" | "month" | "day" | "hour" | "minute";
export type Tick = { key: number; label: string };
export type Axis = {
  unit: TickUnit;
  step: number;
  /** Labelled ticks at the chosen step. */
  minor: Tick[];
  /** The enclosing periods (year, month or day) for context, first one at or before lo. */
  major: Tick[];
};

/** Measures a label in CSS pixels; the default estimates an 11px UI font. */
export type Measure = (text: string) => number;
export const estimateWidth: Measure = (text) => text.length * 6.6;

const YEAR_MIN = 365.2425 * MINUTES_PER_DAY;
type Step = { unit: TickUnit; step: number; minutes: number; sample: string };

// Finest first. `sample` is the widest label the step can produce.
const STEPS: Step[] = [
  ...[1, 5, 10, 15, 30].map((s) => ({ unit: "minute" as const, step: s, minutes: s, sample: "00:00" })),
  ...[1, 3, 6, 12].map((s) => ({ unit: "hour" as const, step: s, minutes: s * 60, sample: "00:00" })),
  ...[1, 2, 5, 10].map((s) => ({ unit: "day" as const, step: s, minutes: s * MINUTES_PER_DAY, sample: "30" })),
  ...[1, 3, 6].map((s) => ({ unit: "month" as const, step: s, minutes: (s * YEAR_MIN) / 12, sample: "Sep" })),
  ...[1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000].map((s) => ({
    unit: "year" as const, step: s, minutes: s * YEAR_MIN, sample: "8888 BCE",
  })),
];

/** Gap kept between neighbouring labels, in pixels. */
export const LABEL_GAP = 14;
const MAX_TICKS = 4000;

export function chooseStep(span: number, widthPx: number, measure: Measure = estimateWidth, bce = true): Step {
  const pxPerMinute = widthPx / Math.max(span, 1e-9);
  for (const s of STEPS) {
    // The widest label the step can write: "8888 BCE" only when the view reaches before year 1.
    const sample = s.unit === "year" && !bce ? "8888" : s.sample;
    if (s.minutes * pxPerMinute >= measure(sample) + LABEL_GAP) return s;
  }
  return STEPS[STEPS.length - 1] as Step;
}

function yearTicks(lo: number, hi: number, step: number): Tick[] {
  const out: Tick[] = [];
  let y = Math.floor(dateTimeOf(lo).year / step) * step;
  for (let k = keyOf(y); k < hi && out.length < MAX_TICKS; y += step, k = keyOf(y)) {
    if (k >= lo) out.push({ key: k, label: humanYear(y) });
  }
  return out;
}

function monthTicks(lo: number, hi: number, step: number): Tick[] {
  const out: Tick[] = [];
  const t = dateTimeOf(lo);
  let y = t.year;
  let m = t.month - ((t.month - 1) % step);
  for (let k = keyOf(y, m); k < hi && out.length < MAX_TICKS; ) {
    if (k >= lo) out.push({ key: k, label: MONTH_SHORT[m - 1] ?? "" });
    m += step;
    if (m > 12) {
      m -= 12;
      y += 1;
    }
    k = keyOf(y, m);
  }
  return out;
}

function dayTicks(lo: number, hi: number, step: number): Tick[] {
  const out: Tick[] = [];
  let k = Math.floor(lo / MINUTES_PER_DAY) * MINUTES_PER_DAY;
  for (; k < hi && out.length < MAX_TICKS; k += MINUTES_PER_DAY) {
    const t = dateTimeOf(k);
    // Day-of-month steps start again each month; a tick too close to the next
    // month's first is dropped, so spacing never falls below the step.
    const aligned = (t.day - 1) % step === 0;
    const roomBeforeNextMonth = t.day === 1 || t.day + step <= daysInMonth(t.year, t.month) + 1;
    if (!aligned || !roomBeforeNextMonth) continue;
    if (k >= lo) out.push({ key: k, label: String(t.day) });
  }
  return out;
}

function clockTicks(lo: number, hi: number, minutes: number): Tick[] {
  const out: Tick[] = [];
  for (let k = Math.ceil(lo / minutes) * minutes; k < hi && out.length < MAX_TICKS; k += minutes) {
    const t = dateTimeOf(k);
    out.push({ key: k, label: `${pad2(t.hour)}:${pad2(t.minute)}` });
  }
  return out;
}

/** Enclosing periods for context: years above months, months above days, days above hours. */
function majorTicks(unit: TickUnit, lo: number, hi: number): Tick[] {
  const out: Tick[] = [];
  const t = dateTimeOf(lo);
  if (unit === "month") {
    for (let y = t.year; keyOf(y) < hi && out.length < MAX_TICKS; y++) out.push({ key: keyOf(y), label: humanYear(y) });
  } else if (unit === "day") {
    let y = t.year;
    let m = t.month;
    for (let k = keyOf(y, m); k < hi && out.length < MAX_TICKS; k = keyOf(y, m)) {
      out.push({ key: k, label: `${MONTH_NAMES[m - 1]} ${humanYear(y)}` });
      m += 1;
      if (m > 12) {
        m = 1;
        y += 1;
      }
    }
  } else if (unit === "hour" || unit === "minute") {
    for (let k = Math.floor(lo / MINUTES_PER_DAY) * MINUTES_PER_DAY; k < hi && out.length < MAX_TICKS; k += MINUTES_PER_DAY) {
      const d = dateTimeOf(k);
      out.push({ key: k, label: `${WEEKDAY_SHORT[weekdayOf(k)]} ${d.day} ${MONTH_NAMES[d.month - 1]} ${humanYear(d.year)}` });
    }
  }
  return out;
}

/** The ticks for a view of [lo, hi) minutes drawn across widthPx pixels. */
export function axisTicks(lo: number, hi: number, widthPx: number, measure: Measure = estimateWidth): Axis {
  const s = chooseStep(hi - lo, widthPx, measure, lo < keyOf(1));
  let minor: Tick[];
  switch (s.unit) {
    case "year":
      minor = yearTicks(lo, hi, s.step);
      break;
    case "month":
      minor = monthTicks(lo, hi, s.step);
      break;
    case "day":
      minor = dayTicks(lo, hi, s.step);
      break;
    default:
      minor = clockTicks(lo, hi, s.minutes);
  }
  return { unit: s.unit, step: s.step, minor, major: majorTicks(s.unit, lo, hi) };
}
