// Where everything on the timeline canvas goes, computed from the loaded window
// and the view: lanes, rows packed per lane, bins, and the hit boxes that the
// pointer and the e2e hooks use. Pure: no canvas, so it can be tested.
// Invariant: a layout depends on the view's span and width, never on where the
// view starts, so panning only shifts it (shiftLayout) and rows never jump.
import type { Bin } from "../../bindings/Bin";
import type { TimelineItem } from "../../bindings/TimelineItem";
import { packRows, type PackInput } from "../pack";
import { xOf, type View } from "../viewport";

export const AXIS_H = 48;
export const LANE_HEAD = 22;
export const ROW_H = 24;
export const LANE_PAD = 8;
export const BIN_BAND = 44;
export const POINT_R = 5;
/** Marks narrower than this are drawn as points. */
export const MIN_BAR = 12;
/** Rows a lane may use when there are several lanes, and when there is one.
 *  Past the canvas height the lanes scroll; marks overlap only past these. */
export const MAX_ROWS_PER_LANE = 60;
export const MAX_ROWS_SINGLE = 400;

export type LaneDef = { key: string; label: string };

export type LaneBox = {
  key: string;
  label: string;
  /** Content coordinates: below the axis, before vertical scrolling. */
  top: number;
  height: number;
  rowsTop: number;
  rows: number;
  binTop: number;
  binHeight: number;
};

export type ItemBox = {
  item: TimelineItem;
  lane: number;
  /** Mark extent in CSS pixels. */
  x0: number;
  x1: number;
  point: boolean;
  /** Centre of the mark (of the whole bar, which may be off screen); y in content coordinates. */
  cx: number;
  cy: number;
  labelX: number;
  /** Width the label may use; 0 when it is dropped. */
  labelWidth: number;
  overlaps: boolean;
  /** The label as the last frame drew it (cut to fit, "" when none): read by the e2e tests. */
  drawnLabel?: string;
};

export type BinBox = { bin: Bin; lane: number; x0: number; x1: number; top: number; height: number };

export type Layout = {
  lanes: LaneBox[];
  items: ItemBox[];
  bins: BinBox[];
  maxCount: number;
  contentHeight: number;
  /** Some marks had to overlap: not every mark is clickable at its centre. */
  overlaps: boolean;
};

export type LayoutInput = {
  view: View;
  width: number;
  height: number;
  items: readonly TimelineItem[];
  bins: readonly Bin[];
  /** null when lanes are off: one lane, no header. */
  lanes: readonly LaneDef[] | null;
  measure: (text: string) => number;
  /** Label for events with no value for the lane ("" key). */
  noneLabel: string;
};

function itemGeometry(it: TimelineItem, view: View, width: number, labelWidth: number) {
  const a = xOf(view, width, it.lo);
  const b = xOf(view, width, it.hi);
  const point = b - a < MIN_BAR || ((it.precision === "day" || it.precision === "minute") && it.hi - it.lo <= 1440);
  if (point) {
    const cx = (a + b) / 2;
    return { point, x0: cx - POINT_R - 1, x1: cx + POINT_R + 1, cx, labelX: cx + POINT_R + 6 };
  }
  // The label goes inside the bar when it fits there, after it otherwise.
  const inside = b - a >= labelWidth + 14;
  return { point, x0: a, x1: b, cx: (a + b) / 2, labelX: inside ? a + 7 : b + 6 };
}

export function layoutTimeline(input: LayoutInput): Layout {
  const { view, width, height, measure } = input;

  // Lanes: in the order given, keeping only those with something loaded.
  const present = new Set<string>();
  for (const it of input.items) present.add(it.lane);
  for (const b of input.bins) present.add(b.lane);
  let defs: LaneDef[];
  if (input.lanes === null) defs = [{ key: "", label: "" }];
  else {
    const known = new Set(input.lanes.map((l) => l.key));
    defs = input.lanes.filter((l) => present.has(l.key));
    for (const k of [...present].sort()) if (!known.has(k)) defs.push({ key: k, label: k === "" ? input.noneLabel : k });
    // Events without a value for the lane go last.
    defs.sort((a, b) => Number(a.key === "") - Number(b.key === ""));
  }
  const laneIndex = new Map(defs.map((d, i) => [d.key, i]));

  // Items per lane, packed into rows.
  const perLane: number[][] = defs.map(() => []);
  const labelWidths = input.items.map((it) => measure(it.title));
  const geo = input.items.map((it, i) => itemGeometry(it, view, width, labelWidths[i]!));
  input.items.forEach((it, i) => {
    const li = laneIndex.get(input.lanes === null ? "" : it.lane);
    if (li !== undefined) perLane[li]!.push(i);
  });
  const binsPerLane: Bin[][] = defs.map(() => []);
  for (const b of input.bins) {
    const li = laneIndex.get(input.lanes === null ? "" : b.lane);
    if (li !== undefined) binsPerLane[li]!.push(b);
  }

  const single = input.lanes === null;
  const head = single ? 0 : LANE_HEAD;
  const avail = Math.max(ROW_H, height - AXIS_H - LANE_PAD * 2);
  const lanes: LaneBox[] = [];
  const items: ItemBox[] = [];
  const bins: BinBox[] = [];
  let maxCount = 0;
  let overlaps = false;
  let y = 0;
  defs.forEach((def, li) => {
    const idx = perLane[li]!;
    const hasBins = binsPerLane[li]!.length > 0;
    const maxRows = single ? MAX_ROWS_SINGLE : MAX_ROWS_PER_LANE;
    const inputs: PackInput[] = idx.map((i) => {
      const g = geo[i]!;
      return { start: g.x0, end: g.x1, labelStart: g.labelX, labelWidth: labelWidths[i]! };
    });
    const packed = packRows(inputs, maxRows);
    const rows = Math.max(idx.length > 0 ? packed.rows : 0, hasBins ? 0 : 1);
    const rowsTop = y + head + LANE_PAD / 2;
    let binHeight = hasBins ? BIN_BAND : 0;
    if (single && hasBins) binHeight = Math.max(BIN_BAND, avail - rows * ROW_H);
    const binTop = rowsTop + rows * ROW_H;
    const laneHeight = head + LANE_PAD + rows * ROW_H + binHeight;
    lanes.push({ key: def.key, label: def.label, top: y, height: laneHeight, rowsTop, rows, binTop, binHeight });
    idx.forEach((i, j) => {
      const g = geo[i]!;
      const p = packed.placements[j]!;
      overlaps ||= p.overlaps;
      items.push({
        item: input.items[i]!,
        lane: li,
        x0: g.x0,
        x1: g.x1,
        point: g.point,
        cx: g.cx,
        cy: rowsTop + p.row * ROW_H + ROW_H / 2,
        labelX: g.labelX,
        labelWidth: p.labelWidth,
        overlaps: p.overlaps,
      });
    });
    for (const b of binsPerLane[li]!) {
      maxCount = Math.max(maxCount, b.count);
      bins.push({ bin: b, lane: li, x0: xOf(view, width, b.lo), x1: xOf(view, width, b.hi), top: binTop, height: binHeight });
    }
    y += laneHeight;
  });
  return { lanes, items, bins, maxCount, contentHeight: y, overlaps };
}

/** Moves a layout dx pixels sideways: what a pan at the same zoom does. */
export function shiftLayout(layout: Layout, dx: number): void {
  if (dx === 0) return;
  for (const b of layout.items) {
    b.x0 += dx;
    b.x1 += dx;
    b.cx += dx;
    b.labelX += dx;
  }
  for (const b of layout.bins) {
    b.x0 += dx;
    b.x1 += dx;
  }
}

/** The centre of an item's mark as seen: a bar's visible part, clamped to the canvas. */
export function visibleCentre(b: ItemBox, width: number): number {
  return b.point ? b.cx : (Math.max(b.x0, 0) + Math.min(b.x1, width)) / 2;
}

/** What the pointer is over, topmost first: an item's mark or label, or a bin. */
export function hitTest(
  layout: Layout,
  x: number,
  contentY: number,
): { item: ItemBox } | { bin: BinBox } | null {
  for (let i = layout.items.length - 1; i >= 0; i--) {
    const b = layout.items[i]!;
    if (Math.abs(contentY - b.cy) > ROW_H / 2 - 2) continue;
    const markHit = b.point ? Math.abs(x - b.cx) <= POINT_R + 4 : x >= b.x0 - 2 && x <= b.x1 + 2;
    const labelHit = b.labelWidth > 0 && x >= b.labelX && x <= b.labelX + b.labelWidth;
    if (markHit || labelHit) return { item: b };
  }
  for (const b of layout.bins) {
    if (x >= b.x0 && x <= Math.max(b.x1, b.x0 + 3) && contentY >= b.top && contentY <= b.top + b.height) return { bin: b };
  }
  return null;
}

/** "1.2k", "35k", "1.1M" for count badges. */
export function compactCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10000) return `${(n / 1000).toFixed(1).replace(/\.0$/, "")}k`;
  if (n < 1e6) return `${Math.round(n / 1000)}k`;
  return `${(n / 1e6).toFixed(1).replace(/\.0$/, "")}M`;
}
