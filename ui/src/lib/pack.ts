// Greedy row packing for timeline marks and their labels, per lane: an item goes
// in the first row where its mark and full label fit; failing that, in the first
// row where its mark fits once the previous label there is shortened (or dropped
// when too little would be left); failing that, over the row that frees up first,
// without a label. Labels therefore never overlap each other or another mark.

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

export function packRows(items: readonly PackInput[], maxRows: number, gap = PACK_GAP, minLabel = MIN_LABEL): PackResult {
  const order = items.map((_, i) => i).sort((a, b) => (items[a] as PackInput).start - (items[b] as PackInput).start || a - b);
  const placements: Placement[] = items.map((it) => ({ row: 0, labelWidth: it.labelWidth, overlaps: false }));
  const rowEnd: number[] = [];
  const rowMarkEnd: number[] = [];
  const rowLast: number[] = [];
  const limit = Math.max(1, maxRows);

  for (const i of order) {
    const it = items[i] as PackInput;
    const p = placements[i] as Placement;
    let row = rowEnd.findIndex((e) => e + gap <= it.start);
    if (row < 0 && rowEnd.length < limit) row = rowEnd.length;
    if (row < 0) row = rowMarkEnd.findIndex((e) => e + gap <= it.start);
    if (row < 0) {
      row = 0;
      for (let r = 1; r < rowMarkEnd.length; r++) if ((rowMarkEnd[r] as number) < (rowMarkEnd[row] as number)) row = r;
      p.labelWidth = 0;
      p.overlaps = true;
    }
    // The row's last label must end before this mark: shorten it, or drop it.
    const prevIdx = rowLast[row];
    if (prevIdx !== undefined) {
      const prev = items[prevIdx] as PackInput;
      const pp = placements[prevIdx] as Placement;
      if (pp.labelWidth > 0 && prev.labelStart + pp.labelWidth + gap > it.start) {
        const room = it.start - gap - prev.labelStart;
        pp.labelWidth = room < minLabel ? 0 : room;
      }
    }
    p.row = row;
    const extent = p.labelWidth > 0 ? Math.max(it.end, it.labelStart + p.labelWidth) : it.end;
    rowEnd[row] = p.overlaps ? Math.max(rowEnd[row] as number, extent) : extent;
    rowMarkEnd[row] = p.overlaps ? Math.max(rowMarkEnd[row] as number, it.end) : it.end;
    rowLast[row] = i;
  }
  return { placements, rows: rowEnd.length };
}
