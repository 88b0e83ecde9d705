// Helpers of the Review view.
import type { EventKind } from "../bindings/EventKind";
import type { ReviewFilter } from "../bindings/ReviewFilter";

export type QuoteParts = { before: string; date: string | null; after: string };

/** A run of a quote: plain text, its date expression, or the word the event was
 * read from (the predicate the date modifies). */
export type QuoteRun = { text: string; mark: "date" | "trigger" | null };

/** Cuts a quote into runs around its date expression and its trigger word (spans
 * in code points of the quote, end exclusive). A span that is off the quote, empty,
 * or overlaps the other is left unmarked. */
export function quoteRuns(
  quote: string,
  date: { start: number; end: number } | null,
  trigger: { start: number; end: number } | null,
): QuoteRun[] {
  const chars = Array.from(quote);
  const ok = (s: { start: number; end: number } | null) => s !== null && s.start >= 0 && s.end <= chars.length && s.start < s.end;
  const marks: { start: number; end: number; mark: "date" | "trigger" }[] = [];
  if (ok(date)) marks.push({ ...date!, mark: "date" });
  if (ok(trigger) && !(date && ok(date) && trigger!.start < date.end && date.start < trigger!.end)) marks.push({ ...trigger!, mark: "trigger" });
  marks.sort((a, b) => a.start - b.start);
  const runs: QuoteRun[] = [];
  let at = 0;
  for (const m of marks) {
    if (m.start > at) runs.push({ text: chars.slice(at, m.start).join(""), mark: null });
    runs.push({ text: chars.slice(m.start, m.end).join(""), mark: m.mark });
    at = m.end;
  }
  if (at < chars.length || runs.length === 0) runs.push({ text: chars.slice(at).join(""), mark: null });
  return runs;
}

/** Splits a quote around its date expression (`start`..`end` in code points of the
 * quote); the whole quote as `before` when there is none or the span is off. */
export function quoteParts(quote: string, start: number | null, end: number | null): QuoteParts {
  const chars = Array.from(quote);
  if (start === null || end === null || start < 0 || end > chars.length || start >= end) {
    return { before: quote, date: null, after: "" };
  }
  return {
    before: chars.slice(0, start).join(""),
    date: chars.slice(start, end).join(""),
    after: chars.slice(end).join(""),
  };
}

/** Confidence bands the Review queue can be narrowed to: [min, below). */
export type Band = "any" | "sure" | "middle" | "doubtful";
export const CONFIDENCE_BANDS: Record<Band, { label: string; min: number | null; below: number | null }> = {
  any: { label: "Any confidence", min: null, below: null },
  sure: { label: "80% or more", min: 0.8, below: null },
  middle: { label: "50 to 79%", min: 0.5, below: 0.8 },
  doubtful: { label: "Below 50%", min: null, below: 0.5 },
};

/** What narrows the Review queue besides the article. */
export type ReviewNarrow = { kinds: EventKind[]; countries: string[]; band: Band };

/** The filter "Accept all at `percent`%+" decides: the queue's filter, at
 * least that confident (and never below the band's own floor). */
export function atLeast(filter: ReviewFilter, percent: number): ReviewFilter {
  return { ...filter, min_confidence: Math.max(filter.min_confidence ?? 0, percent / 100) };
}
