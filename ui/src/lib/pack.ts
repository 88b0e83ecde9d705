// Greedy row packing for timeline marks and their labels, per lane: an item goes
// in the first row where its mark and full label fit; failing that, in the first
// row where its mark fits once the previous label there is shortened (or dropped
// when too little would be left); failing that, over the row that frees up first,
// without a label. Labels therefore never overlap each other or another mark.
// Rows are found through two small segment trees, so packing n items into R rows
// costs O(n log R), not O(n R): a few thousand items pack well inside a frame.

export type PackInput = {
  /** Left and right edge of the mark, in pixels. */
  start: number;
  end: number;
  /** Where the label would begin, and its full width (0 for none). */
  labelStart: number;
  labelWidth: number;
};

export type Placement = {
  row: number;
  /** The width the label may use: full, shortened, or 0 when dropped. */
  labelWidth: number;
  /** The mark had to overlap another one (rows exhausted). */
  overlaps: boolean;
};

export type PackResult = { placements: Placement[]; rows: number };

/** Gap kept between one item's extent and the next in the same row. */
export const PACK_GAP = 8;
/** A label shortened below this many pixels is dropped instead. */
export const MIN_LABEL = 36;

/** Minimum over rows, answering "first row whose value is at most x" in O(log R). */
class MinTree {
  private readonly size: number;
  private readonly t: Float64Array;
  constructor(rows: number, initial: number) {
    let size = 1;
    while (size < rows) size *= 2;
    this.size = size;
    this.t = new Float64Array(2 * size).fill(Infinity);
    for (let i = 0; i < rows; i++) this.t[size + i] = initial;
    for (let i = size - 1; i >= 1; i--) this.t[i] = Math.min(this.t[2 * i]!, this.t[2 * i + 1]!);
  }
  get(row: number): number {
    return this.t[this.size + row]!;
  }
  set(row: number, v: number): void {
    let i = this.size + row;
    this.t[i] = v;
    for (i >>= 1; i >= 1; i >>= 1) this.t[i] = Math.min(this.t[2 * i]!, this.t[2 * i + 1]!);
  }
  /** The lowest row whose value is <= x, or -1. */
  firstAtMost(x: number): number {
    if (this.t[1]! > x) return -1;
    let i = 1;
    while (i < this.size) i = this.t[2 * i]! <= x ? 2 * i : 2 * i + 1;
    return i - this.size;
  }
  /** The row with the smallest value (the lowest such row). */
  argMin(): number {
    return this.firstAtMost(this.t[1]!);
  }
}

export function packRows(items: readonly PackInput[], maxRows: number, gap = PACK_GAP, minLabel = MIN_LABEL): PackResult {
  const order = items.map((_, i) => i).sort((a, b) => (items[a] as PackInput).start - (items[b] as PackInput).start || a - b);
  const placements: Placement[] = items.map((it) => ({ row: 0, labelWidth: it.labelWidth, overlaps: false }));
  const limit = Math.max(1, Math.min(maxRows, items.length || 1));
  // Unused rows hold -Infinity, so "first row that fits" finds a used row first
  // and otherwise the next unused one.
  const rowEnd = new MinTree(limit, -Infinity);
  const rowMarkEnd = new MinTree(limit, -Infinity);
  const rowLast = new Int32Array(limit).fill(-1);
  let used = 0;

  for (const i of order) {
    const it = items[i] as PackInput;
    const p = placements[i] as Placement;
    let row = rowEnd.firstAtMost(it.start - gap);
    if (row < 0) row = rowMarkEnd.firstAtMost(it.start - gap);
    if (row < 0) {
      row = rowMarkEnd.argMin();
      p.labelWidth = 0;
      p.overlaps = true;
    }
    // The row's last label must end before this mark: shorten it, or drop it.
    const prevIdx = rowLast[row]!;
    if (prevIdx >= 0) {
      const prev = items[prevIdx] as PackInput;
      const pp = placements[prevIdx] as Placement;
      if (pp.labelWidth > 0 && prev.labelStart + pp.labelWidth + gap > it.start) {
        const room = it.start - gap - prev.labelStart;
        pp.labelWidth = room < minLabel ? 0 : room;
      }
    }
    p.row = row;
    used = Math.max(used, row + 1);
    const extent = p.labelWidth > 0 ? Math.max(it.end, it.labelStart + p.labelWidth) : it.end;
    const before = rowEnd.get(row);
    rowEnd.set(row, p.overlaps ? Math.max(before, extent) : extent);
    rowMarkEnd.set(row, p.overlaps ? Math.max(rowMarkEnd.get(row), it.end) : it.end);
    rowLast[row] = i;
  }
  return { placements, rows: used };
}
