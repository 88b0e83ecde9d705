// The visible stretch of time: its first minute and how many minutes it spans.
import { MAX_KEY, MIN_KEY, MINUTES_PER_DAY } from "./time";

export type View = { lo: number; span: number };

/** Narrowest view: an hour across the timeline. Widest: all the years Annals knows. */
export const MIN_SPAN = 60;
export const MAX_SPAN = MAX_KEY - MIN_KEY;

export function clampView(v: View): View {
  const span = Math.min(MAX_SPAN, Math.max(MIN_SPAN, v.span));
  const lo = Math.min(MAX_KEY - span, Math.max(MIN_KEY, v.lo));
  return { lo, span };
}

/** Zooms by `factor` (> 1 is in) keeping the minute under `frac` (0..1 of the width) in place. */
export function zoomAt(v: View, factor: number, frac = 0.5): View {
  const anchor = v.lo + frac * v.span;
  const span = Math.min(MAX_SPAN, Math.max(MIN_SPAN, v.span / factor));
  return clampView({ lo: anchor - frac * span, span });
}

export function panBy(v: View, minutes: number): View {
  return clampView({ lo: v.lo + minutes, span: v.span });
}

/** A view showing [lo, hi) with some air on both sides; a single day gets a week. */
export function fitRange(lo: number, hi: number, pad = 0.06): View {
  const width = Math.max(hi - lo, 3 * MINUTES_PER_DAY);
  const mid = (lo + hi) / 2;
  const span = width * (1 + 2 * pad);
  return clampView({ lo: mid - span / 2, span });
}

/** Moves the view the least needed to show [lo, hi); zooms out if it is wider. */
export function reveal(v: View, lo: number, hi: number, pad = 0.1): View {
  if (hi - lo > v.span * (1 - 2 * pad)) return fitRange(lo, hi);
  const margin = v.span * pad;
  if (lo < v.lo + margin) return clampView({ lo: lo - margin, span: v.span });
  if (hi > v.lo + v.span - margin) return clampView({ lo: hi + margin - v.span, span: v.span });
  return v;
}

export const xOf = (v: View, width: number, key: number) => ((key - v.lo) / v.span) * width;
export const keyAt = (v: View, width: number, x: number) => v.lo + (x / width) * v.span;
