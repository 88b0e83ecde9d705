import { describe, expect, it } from "vitest";
import { MIN_LABEL, PACK_GAP, packRows, type PackInput } from "../src/lib/pack";

function extents(items: PackInput[], maxRows: number) {
  const { placements, rows } = packRows(items, maxRows);
  return {
    rows,
    placements,
    boxes: items.map((it, i) => ({
      row: placements[i]!.row,
      mark: [it.start, it.end] as const,
      label: placements[i]!.labelWidth > 0 ? ([it.labelStart, it.labelStart + placements[i]!.labelWidth] as const) : null,
    })),
  };
}
const overlap = (a: readonly [number, number], b: readonly [number, number]) => a[0] < b[1] && b[0] < a[1];
const point = (x: number, label: number): PackInput => ({ start: x - 6, end: x + 6, labelStart: x + 11, labelWidth: label });

describe("label packing", () => {
  it("puts items side by side in one row when their labels fit", () => {
    const r = extents([point(10, 50), point(100, 50), point(200, 50)], 5);
    expect(r.rows).toBe(1);
    expect(r.placements.map((p) => p.labelWidth)).toEqual([50, 50, 50]);
  });

  it("opens a new row rather than letting a label run into the next mark", () => {
    const r = extents([point(10, 120), point(60, 80)], 5);
    expect(r.boxes.map((b) => b.row)).toEqual([0, 1]);
  });

  it("never lets a label overlap another label or mark in its row, however crowded", () => {
    const items: PackInput[] = [];
    for (let i = 0; i < 300; i++) items.push(point((i * 37) % 900, 40 + ((i * 13) % 160)));
    for (const maxRows of [1, 3, 8]) {
      const { boxes } = extents(items, maxRows);
      for (const a of boxes)
        for (const b of boxes) {
          if (a === b || a.row !== b.row || !a.label) continue;
          expect(overlap(a.label, [b.mark[0], b.mark[1]])).toBe(false);
          if (b.label) expect(overlap(a.label, b.label)).toBe(false);
        }
    }
  });

  it("shortens the previous label to make room when rows run out, and drops it below the minimum", () => {
    const r = extents([point(0, 200), point(120, 50)], 1);
    expect(r.placements[0]!.labelWidth).toBe(120 - 6 - PACK_GAP - 11);
    expect(r.placements[1]!.labelWidth).toBe(50);
    const tight = extents([point(0, 200), point(30, 50)], 1);
    expect(tight.placements[0]!.labelWidth).toBe(0);
    expect(30 - 6 - PACK_GAP - 11).toBeLessThan(MIN_LABEL);
  });

  it("overlaps marks only when every row is taken, and then without a label", () => {
    const r = extents([point(0, 30), point(0, 30), point(0, 30)], 2);
    expect(r.placements.map((p) => p.overlaps)).toEqual([false, false, true]);
    expect(r.placements[2]!.labelWidth).toBe(0);
  });

  it("keeps bars in rows of their own while they overlap in time", () => {
    const bar = (a: number, b: number): PackInput => ({ start: a, end: b, labelStart: a + 7, labelWidth: 30 });
    const r = extents([bar(0, 300), bar(100, 400), bar(320, 500)], 4);
    expect(r.boxes.map((b) => b.row)).toEqual([0, 1, 0]);
  });
});
