// Helpers of the Review view.

export type QuoteParts = { before: string; date: string | null; after: string };

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
