import { describe, expect, it } from "vitest";
import { AXIS_H, hitTest, layoutTimeline, compactCount, type LayoutInput } from "../src/lib/timeline/layout";
import type { TimelineItem } from "../src/bindings/TimelineItem";
import { keyOf } from "../src/lib/time";
import { fitRange, reveal, zoomAt, MIN_SPAN } from "../src/lib/viewport";

function item(id: number, lo: number, hi: number, extra: Partial<TimelineItem> = {}): TimelineItem {
  return { id, title: `Event ${id}`, kind: "entry", status: "accepted", lo, hi, precision: "day", approximate: false, date_text: "", lane: "", planned: false, ...extra } as TimelineItem;
}
const base = (items: TimelineItem[], over: Partial<LayoutInput> = {}): LayoutInput => ({
  view: { lo: keyOf(2002, 5, 1), span: keyOf(2002, 6, 1) - keyOf(2002, 5, 1) },
  width: 1000,
  height: 400,
  items,
  bins: [],
  lanes: null,
  measure: (t) => t.length * 7,
  noneLabel: "",
  ...over,
});

describe("timeline layout", () => {
  it("draws a day as a point at its middle and a range as a bar across it", () => {
    const day = item(1, keyOf(2002, 5, 8), keyOf(2002, 5, 9));
    const range = item(2, keyOf(2002, 5, 8), keyOf(2002, 5, 11));
    const l = layoutTimeline(base([day, range]));
    const [p, b] = l.items;
    expect(p!.point).toBe(true);
    expect(p!.cx).toBeCloseTo((7.5 / 31) * 1000, 5);
    expect(b!.point).toBe(false);
    expect([b!.x0, b!.x1].map((x) => Math.round(x))).toEqual([226, 323]);
  });

  it("spans a month-precision event over the whole month", () => {
    const may = item(1, keyOf(2002, 5), keyOf(2002, 6), { precision: "month", approximate: true });
    const l = layoutTimeline(base([may], { view: { lo: keyOf(2002, 1), span: keyOf(2003, 1) - keyOf(2002, 1) } }));
    const b = l.items[0]!;
    expect(b.point).toBe(false);
    expect(Math.round(b.x1 - b.x0)).toBe(Math.round((31 / 365) * 1000));
  });

  it("puts every mark where a click at its centre finds it again", () => {
    const items = Array.from({ length: 40 }, (_, i) => item(i + 1, keyOf(2002, 5, 8 + (i % 3)), keyOf(2002, 5, 9 + (i % 3))));
    const l = layoutTimeline(base(items));
    expect(l.overlaps).toBe(false);
    for (const b of l.items) {
      const hit = hitTest(l, b.cx, b.cy);
      expect(hit && "item" in hit ? hit.item.item.id : null).toBe(b.item.id);
    }
    expect(l.contentHeight).toBeGreaterThan(400 - AXIS_H);
  });

  it("gives each lane a header, lists only lanes with events, and puts 'none' last", () => {
    const items = [item(1, keyOf(2002, 5, 8), keyOf(2002, 5, 9), { lane: "JP" }), item(2, keyOf(2002, 5, 9), keyOf(2002, 5, 10), { lane: "" })];
    const l = layoutTimeline(base(items, { lanes: [{ key: "CN", label: "China" }, { key: "JP", label: "Japan" }], noneLabel: "No country" }));
    expect(l.lanes.map((x) => x.label)).toEqual(["Japan", "No country"]);
    expect(l.items.find((b) => b.item.id === 2)!.cy).toBeGreaterThan(l.lanes[1]!.top);
  });

  it("writes counts short for badges", () => {
    expect([7, 999, 1200, 35000, 1_100_000].map(compactCount)).toEqual(["7", "999", "1.2k", "35k", "1.1M"]);
  });
});

describe("viewport", () => {
  it("zooms around the anchor and never narrower than an hour", () => {
    const v = { lo: 0, span: 1000 };
    const z = zoomAt(v, 2, 0.25);
    expect(z).toEqual({ lo: 125, span: 500 });
    expect(zoomAt(v, 1e9).span).toBe(MIN_SPAN);
  });

  it("fits a single day into a few days of context, and reveals an event off screen", () => {
    const d = keyOf(2002, 5, 8);
    const f = fitRange(d, d + 1440);
    expect(f.lo).toBeLessThan(d);
    expect(f.lo + f.span).toBeGreaterThan(d + 1440);
    const v = { lo: d + 10 * 1440, span: 5 * 1440 };
    const r = reveal(v, d, d + 1440);
    expect(r.span).toBe(v.span);
    expect(r.lo).toBeLessThan(d);
    expect(reveal(r, d, d + 1440)).toBe(r);
  });
});
