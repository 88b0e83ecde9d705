import { describe, expect, it } from "vitest";
import { SvgContext, escapeXml } from "../src/lib/timeline/svg";
import { drawTimeline, roundRect, type Palette } from "../src/lib/timeline/draw";
import { layoutTimeline } from "../src/lib/timeline/layout";
import { axisTicks } from "../src/lib/ticks";
import { keyOf } from "../src/lib/time";
import type { TimelineItem } from "../src/bindings/TimelineItem";

const measure = (t: string) => t.length * 7;

function parse(svg: string): Document {
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
  expect(doc.getElementsByTagName("parsererror")).toHaveLength(0);
  return doc;
}

const palette: Palette = {
  dark: false,
  bg: "#ffffff",
  laneAlt: "#f6f7f9",
  axisBg: "#fafbfc",
  grid: "#eeeeee",
  gridMajor: "#dddddd",
  text: "#1f2328",
  muted: "#59636e",
  border: "#d0d7de",
  accent: "#0969da",
  bin: "#8c959f",
};

function item(id: number, title: string, lo: number, hi: number, extra: Partial<TimelineItem> = {}): TimelineItem {
  return { id, title, kind: "entry", status: "accepted", lo, hi, precision: "day", approximate: false, date_text: "", lane: "", planned: false, ...extra } as TimelineItem;
}

describe("the SVG export context", () => {
  it("draws a rounded rectangle as lines and quarter arcs turning clockwise", () => {
    const c = new SvgContext(100, 50, measure);
    roundRect(c as unknown as CanvasRenderingContext2D, 10, 10, 40, 20, 4);
    c.fillStyle = "#ff0000";
    c.fill();
    const d = parse(c.toString()).querySelector("path")!.getAttribute("d")!;
    expect(d).toBe("M14 10L46 10A4 4 0 0 1 50 14L50 26A4 4 0 0 1 46 30L14 30A4 4 0 0 1 10 26L10 14A4 4 0 0 1 14 10Z");
  });

  it("draws a whole circle as two half arcs back to its start", () => {
    const c = new SvgContext(100, 50, measure);
    c.beginPath();
    c.arc(50, 25, 5, 0, Math.PI * 2);
    c.fill();
    const d = parse(c.toString()).querySelector("path")!.getAttribute("d")!;
    expect(d).toBe("M55 25A5 5 0 1 1 45 25A5 5 0 1 1 55 25");
  });

  it("keeps text as text, markup escaped, and closes every clip group", () => {
    const c = new SvgContext(200, 50, measure);
    c.save();
    c.beginPath();
    c.rect(0, 10, 200, 40);
    c.clip();
    c.textBaseline = "middle";
    c.fillText("<script>alert('x')</script> & co", 5, 20);
    c.restore();
    c.fillText("after", 5, 40);
    const svg = c.toString();
    expect(svg).not.toContain("<script>");
    const doc = parse(svg);
    const texts = [...doc.querySelectorAll("text")].map((t) => t.textContent);
    expect(texts).toEqual(["<script>alert('x')</script> & co", "after"]);
    // The first text is inside the clip group, the second after it.
    expect(doc.querySelector("g[clip-path] text")!.textContent).toContain("script");
    expect(escapeXml(`"'`)).toBe("&quot;&#39;");
  });

  it("paints a whole timeline with every item and label the canvas would draw", () => {
    const view = { lo: keyOf(2002, 5, 1), span: keyOf(2002, 6, 1) - keyOf(2002, 5, 1) };
    const items = [
      item(1, "Five North Koreans enter the consulate", keyOf(2002, 5, 8), keyOf(2002, 5, 9)),
      item(2, "Talks in Beijing", keyOf(2002, 5, 13), keyOf(2002, 5, 20), { status: "proposed", kind: "meeting" }),
      item(3, "Sometime in May", keyOf(2002, 5), keyOf(2002, 6), { precision: "month", approximate: true }),
    ];
    const layout = layoutTimeline({ view, width: 900, height: 300, items, bins: [], lanes: null, measure, noneLabel: "" });
    const c = new SvgContext(900, 300, measure);
    drawTimeline(c as unknown as CanvasRenderingContext2D, {
      view,
      width: 900,
      height: 300,
      scrollY: 0,
      axis: axisTicks(view.lo, view.lo + view.span, 900, measure),
      layout,
      palette,
      selectedId: null,
      hoverId: null,
      hoverBin: -1,
      laneKinds: false,
      font: "12px sans-serif",
      fontBold: "600 12px sans-serif",
      smallFont: "11px sans-serif",
      fit: (t) => t,
    });
    const doc = parse(c.toString());
    const svg = doc.documentElement;
    expect(svg.getAttribute("viewBox")).toBe("0 0 900 300");
    const texts = [...doc.querySelectorAll("text")].map((t) => t.textContent);
    for (const it of items) expect(texts).toContain(it.title);
    expect(texts).toContain("May 2002");
    // The fuzzy month bar fades through a gradient defined once in <defs>.
    const grads = doc.querySelectorAll("defs linearGradient");
    expect(grads.length).toBeGreaterThan(0);
    for (const g of grads) expect(doc.querySelectorAll(`[fill="url(#${g.id})"]`).length).toBeGreaterThan(0);
    // A proposal is a dashed outline.
    expect(doc.querySelector("path[stroke-dasharray]")).not.toBeNull();
  });
});
