// Cutting an article's text into runs for display: plain text, date expressions
// (by index), and the sentence in focus. Offsets are Unicode code points, as the
// core stores them, not UTF-16 units.

export type Span = { start: number; end: number };

export type Segment = {
  text: string;
  /** Index of the date expression this run is part of. */
  timex: number | null;
  /** Inside the sentence in focus. */
  focus: boolean;
  /** The first run of the sentence in focus (scrolled to). */
  first: boolean;
};

/** Splits `body` at every expression's and the focus sentence's ends. Expressions
 * that overlap an earlier one, or fall outside the text, are left out. */
export function articleSegments(body: string, timexes: readonly Span[], focus: Span): Segment[] {
  const chars = Array.from(body);
  const n = chars.length;
  const owner: Array<number | null> = new Array<number | null>(n).fill(null);
  timexes.forEach((t, i) => {
    if (t.start < 0 || t.end > n || t.start >= t.end) return;
    for (let c = t.start; c < t.end; c++) if (owner[c] !== null) return;
    for (let c = t.start; c < t.end; c++) owner[c] = i;
  });
  const fa = Math.max(0, Math.min(focus.start, n));
  const fb = Math.max(fa, Math.min(focus.end, n));
  const out: Segment[] = [];
  let seenFocus = false;
  let i = 0;
  while (i < n) {
    const t = owner[i] ?? null;
    const f = i >= fa && i < fb;
    let j = i + 1;
    while (j < n && (owner[j] ?? null) === t && (j >= fa && j < fb) === f && !(t !== null && j === timexes[t]?.start)) j++;
    out.push({ text: chars.slice(i, j).join(""), timex: t, focus: f, first: f && !seenFocus });
    if (f) seenFocus = true;
    i = j;
  }
  return out;
}
