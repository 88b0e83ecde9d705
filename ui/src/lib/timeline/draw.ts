// Paints a computed layout on a 2D canvas. Cheap per frame: no allocation beyond
// a gradient per fuzzy bar, text measured through a cache.
import type { Axis } from "../ticks";
import type { EventKind } from "../../bindings/EventKind";
import { xOf, type View } from "../viewport";
import { kindColor } from "../kinds";
import { AXIS_H, LANE_HEAD, POINT_R, compactCount, type ItemBox, type Layout } from "./layout";

export type Palette = {
  dark: boolean;
  bg: string;
  laneAlt: string;
  axisBg: string;
  grid: string;
  gridMajor: string;
  text: string;
  muted: string;
  border: string;
  accent: string;
  bin: string;
};

export type DrawState = {
  view: View;
  width: number;
  height: number;
  scrollY: number;
  axis: Axis;
  layout: Layout;
  palette: Palette;
  selectedId: number | null;
  hoverId: number | null;
  hoverBin: number;
  /** Lanes are event kinds: colour each lane's bins as its kind. */
  laneKinds: boolean;
  font: string;
  fontBold: string;
  smallFont: string;
  /** Shortens text to fit a width, with an ellipsis. */
  fit: (text: string, width: number) => string;
};

function withAlpha(hex: string, a: number): string {
  const h = hex.replace("#", "");
  const n = parseInt(h.length === 3 ? h.replace(/./g, (c) => c + c) : h, 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

export function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  const rr = Math.max(0, Math.min(r, w / 2, h / 2));
  ctx.beginPath();
  ctx.moveTo(x + rr, y);
  ctx.arcTo(x + w, y, x + w, y + h, rr);
  ctx.arcTo(x + w, y + h, x, y + h, rr);
  ctx.arcTo(x, y + h, x, y, rr);
  ctx.arcTo(x, y, x + w, y, rr);
  ctx.closePath();
}

function drawAxis(ctx: CanvasRenderingContext2D, s: DrawState): void {
  const { width, axis, palette: p, view } = s;
  ctx.fillStyle = p.axisBg;
  ctx.fillRect(0, 0, width, AXIS_H);
  ctx.fillStyle = p.border;
  ctx.fillRect(0, AXIS_H - 1, width, 1);
  ctx.textBaseline = "middle";
  // Minor ticks and labels on the lower row.
  ctx.font = s.smallFont;
  ctx.fillStyle = p.muted;
  for (const t of axis.minor) {
    const x = Math.round(xOf(view, width, t.key)) + 0.5;
    ctx.fillRect(x - 0.5, AXIS_H - 8, 1, 7);
    ctx.fillText(t.label, x + 4, AXIS_H - 15);
  }
  // Enclosing periods on the upper row, each label kept on screen until the next pushes it off.
  ctx.font = s.fontBold;
  ctx.fillStyle = p.text;
  const majors = axis.major;
  for (let i = 0; i < majors.length; i++) {
    const t = majors[i]!;
    const x = xOf(view, width, t.key);
    const next = i + 1 < majors.length ? xOf(view, width, majors[i + 1]!.key) : Infinity;
    const w = ctx.measureText(t.label).width;
    const lx = Math.min(Math.max(x + 6, 8), next - w - 10);
    if (x > 0) ctx.fillRect(Math.round(x), 4, 1, AXIS_H - 12);
    // A label pushed half off the left edge is left out rather than cut.
    if (lx < 0 || lx > width) continue;
    ctx.fillText(t.label, lx, 14);
  }
  if (majors.length === 0) {
    // Year scales have no enclosing period: say the span instead.
    ctx.font = s.fontBold;
    const first = axis.minor[0]?.label;
    const last = axis.minor[axis.minor.length - 1]?.label;
    if (first && last) ctx.fillText(first === last ? first : `${first} – ${last}`, 8, 14);
  }
}

function fuzzyFill(ctx: CanvasRenderingContext2D, b: ItemBox, color: string, alpha: number): CanvasGradient | string {
  const fuzzy = b.item.approximate || b.item.precision === "year" || b.item.precision === "month";
  if (!fuzzy) return withAlpha(color, alpha);
  const w = b.x1 - b.x0;
  const fade = Math.min(0.45, (b.item.approximate ? 0.3 : 0.16) * Math.max(1, 60 / Math.max(w, 1)));
  const g = ctx.createLinearGradient(b.x0, 0, b.x1, 0);
  g.addColorStop(0, withAlpha(color, 0));
  g.addColorStop(fade, withAlpha(color, alpha));
  g.addColorStop(1 - fade, withAlpha(color, alpha));
  g.addColorStop(1, withAlpha(color, 0));
  return g;
}

function drawItem(ctx: CanvasRenderingContext2D, b: ItemBox, cy: number, s: DrawState): void {
  const p = s.palette;
  const color = kindColor(b.item.kind, p.dark);
  const selected = b.item.id === s.selectedId;
  const hover = b.item.id === s.hoverId;
  const proposed = b.item.status === "proposed";
  // Planned: a dashed ring around the point or a dashed outline, whatever its status.
  const planned = b.item.planned === true;
  const rejected = b.item.status === "rejected";
  ctx.globalAlpha = rejected ? 0.45 : 1;
  if (b.point) {
    const dayW = xOf(s.view, s.width, b.item.hi) - xOf(s.view, s.width, b.item.lo);
    if (dayW > 20) {
      // A day wide enough to see: tint the day behind its point.
      ctx.fillStyle = withAlpha(color, 0.1);
      ctx.fillRect(xOf(s.view, s.width, b.item.lo), cy - 9, dayW, 18);
    }
    if (b.item.approximate || b.item.precision === "year" || b.item.precision === "month") {
      ctx.fillStyle = withAlpha(color, 0.22);
      ctx.beginPath();
      ctx.arc(b.cx, cy, POINT_R + 4, 0, Math.PI * 2);
      ctx.fill();
    }
    if (selected || hover) {
      ctx.beginPath();
      ctx.arc(b.cx, cy, POINT_R + 4, 0, Math.PI * 2);
      ctx.lineWidth = 2;
      ctx.strokeStyle = selected ? p.accent : withAlpha(color, 0.5);
      ctx.stroke();
    }
    if (planned) {
      ctx.beginPath();
      ctx.setLineDash([2, 2]);
      ctx.arc(b.cx, cy, POINT_R + 3, 0, Math.PI * 2);
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = color;
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.beginPath();
    ctx.arc(b.cx, cy, POINT_R, 0, Math.PI * 2);
    if (proposed) {
      ctx.fillStyle = p.bg;
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = color;
      ctx.stroke();
    } else {
      ctx.fillStyle = color;
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = p.bg;
      ctx.stroke();
    }
  } else {
    const h = 16;
    const x0 = Math.max(b.x0, -10);
    const x1 = Math.min(b.x1, s.width + 10);
    ctx.fillStyle = fuzzyFill(ctx, { ...b, x0: b.x0, x1: b.x1 }, color, proposed ? 0.12 : hover || selected ? 0.34 : 0.24);
    roundRect(ctx, x0, cy - h / 2, x1 - x0, h, 4);
    ctx.fill();
    // A solid spine shows the extent; dashed for proposals.
    ctx.fillStyle = fuzzyFill(ctx, b, color, 1);
    if (proposed || planned) {
      ctx.setLineDash(planned ? [2, 2] : [4, 3]);
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      roundRect(ctx, x0 + 0.75, cy - h / 2 + 0.75, x1 - x0 - 1.5, h - 1.5, 4);
      ctx.stroke();
      ctx.setLineDash([]);
    } else {
      ctx.fillRect(x0, cy + h / 2 - 3, x1 - x0, 3);
    }
    if (selected) {
      ctx.strokeStyle = p.accent;
      ctx.lineWidth = 2;
      roundRect(ctx, x0 - 2, cy - h / 2 - 2, x1 - x0 + 4, h + 4, 5);
      ctx.stroke();
    }
  }
  ctx.globalAlpha = 1;
}

function drawLabel(ctx: CanvasRenderingContext2D, b: ItemBox, cy: number, s: DrawState): void {
  b.drawnLabel = "";
  if (b.labelWidth <= 0) return;
  // A label inside a bar that starts off screen slides along to stay in view.
  const inside = !b.point && b.labelX < b.x1;
  const x = inside ? Math.max(b.labelX, 6) : b.labelX;
  // Cut at the canvas edge with an ellipsis rather than mid-letter.
  const room = Math.min(inside ? Math.min(b.labelWidth, b.x1 - x - 6) : b.labelWidth, s.width - x - 6);
  if (room <= 0 || x > s.width || x + room < 0) return;
  // Same weight as measured, so the packed width holds; the selection shows in colour.
  ctx.font = s.font;
  ctx.fillStyle = b.item.id === s.selectedId ? s.palette.accent : b.item.status === "rejected" ? s.palette.muted : s.palette.text;
  const text = s.fit(b.item.title, room);
  b.drawnLabel = text;
  if (text) ctx.fillText(text, x, cy + 0.5);
}

export function drawTimeline(ctx: CanvasRenderingContext2D, s: DrawState): void {
  const { width, height, layout, palette: p, view } = s;
  const top = AXIS_H - s.scrollY;
  ctx.fillStyle = p.bg;
  ctx.fillRect(0, 0, width, height);

  // Lane bands.
  layout.lanes.forEach((lane, i) => {
    const y = top + lane.top;
    if (y > height || y + lane.height < AXIS_H) return;
    if (i % 2 === 1) {
      ctx.fillStyle = p.laneAlt;
      ctx.fillRect(0, y, width, lane.height);
    }
    if (i > 0) {
      ctx.fillStyle = p.border;
      ctx.fillRect(0, y, width, 1);
    }
  });

  // Grid at the axis ticks.
  ctx.fillStyle = p.grid;
  for (const t of s.axis.minor) ctx.fillRect(Math.round(xOf(view, width, t.key)), AXIS_H, 1, height - AXIS_H);
  ctx.fillStyle = p.gridMajor;
  for (const t of s.axis.major) ctx.fillRect(Math.round(xOf(view, width, t.key)), AXIS_H, 1, height - AXIS_H);

  // Dense stretches as a histogram of counts, with badges where they fit.
  ctx.textBaseline = "middle";
  ctx.font = s.smallFont;
  const placed: Array<[number, number]> = [];
  const logMax = Math.log1p(Math.max(1, layout.maxCount));
  const order = layout.bins.map((_, i) => i).sort((a, b) => layout.bins[b]!.bin.count - layout.bins[a]!.bin.count);
  for (let i = 0; i < layout.bins.length; i++) {
    const b = layout.bins[i]!;
    if (b.x1 < 0 || b.x0 > width) continue;
    const bottom = top + b.top + b.height - 4;
    const h = Math.max(3, (b.height - 18) * (Math.log1p(b.bin.count) / logMax));
    ctx.fillStyle = i === s.hoverBin ? p.accent : s.laneKinds ? withAlpha(kindColor(b.bin.lane as EventKind, p.dark), 0.55) : p.bin;
    ctx.fillRect(b.x0 + 0.5, bottom - h, Math.max(1, b.x1 - b.x0 - 1), h);
  }
  ctx.fillStyle = p.text;
  for (const i of order) {
    const b = layout.bins[i]!;
    if (b.x1 < 0 || b.x0 > width) continue;
    const label = compactCount(b.bin.count);
    const w = ctx.measureText(label).width;
    const cx = (b.x0 + b.x1) / 2;
    const lx = cx - w / 2;
    if (placed.some(([a, z]) => lx < z + 4 && lx + w > a - 4)) continue;
    placed.push([lx, lx + w]);
    const bottom = top + b.top + b.height - 4;
    const h = Math.max(3, (b.height - 18) * (Math.log1p(b.bin.count) / logMax));
    ctx.fillText(label, lx, bottom - h - 7);
  }

  // Items, then their labels above every mark.
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, AXIS_H, width, height - AXIS_H);
  ctx.clip();
  for (const b of layout.items) {
    const cy = top + b.cy;
    if (cy < AXIS_H - 20 || cy > height + 20 || b.x1 < -20 || b.x0 > width + 20) continue;
    drawItem(ctx, b, cy, s);
  }
  ctx.textBaseline = "middle";
  for (const b of layout.items) {
    const cy = top + b.cy;
    if (cy < AXIS_H - 20 || cy > height + 20) continue;
    drawLabel(ctx, b, cy, s);
  }
  // Lane names stay at the left edge.
  ctx.font = s.fontBold;
  ctx.textBaseline = "middle";
  for (const lane of layout.lanes) {
    if (!lane.label) continue;
    const y = top + lane.top + LANE_HEAD / 2 + 2;
    if (y < AXIS_H || y > height) continue;
    const text = s.fit(lane.label, Math.min(280, width - 24));
    const w = ctx.measureText(text).width;
    ctx.fillStyle = p.axisBg;
    roundRect(ctx, 6, y - 9, w + 14, 18, 9);
    ctx.fill();
    ctx.fillStyle = p.muted;
    ctx.fillText(text, 13, y + 0.5);
  }
  ctx.restore();

  drawAxis(ctx, s);
}
