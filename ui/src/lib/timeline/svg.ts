// A recording 2D context that writes SVG: `drawTimeline` paints into it
// exactly as it paints the canvas, so File › Export… saves the timeline as it
// is drawn, as vectors, from one drawing code path. It implements the part of
// CanvasRenderingContext2D that draw.ts uses (rects, paths of lines, arcs and
// rounded corners, fills, dashed strokes, clipping, text, linear gradients,
// global alpha); text is measured by a real canvas, passed in.

type Point = { x: number; y: number };

/** A linear gradient as `createLinearGradient` returns it, written as SVG on use. */
export class SvgGradient {
  readonly stops: Array<[number, string]> = [];
  constructor(
    readonly id: string,
    readonly x0: number,
    readonly y0: number,
    readonly x1: number,
    readonly y1: number,
  ) {}
  addColorStop(offset: number, color: string): void {
    this.stops.push([offset, color]);
  }
}

type Paint = string | SvgGradient;

type Saved = {
  fillStyle: Paint;
  strokeStyle: Paint;
  lineWidth: number;
  globalAlpha: number;
  font: string;
  textBaseline: CanvasTextBaseline;
  textAlign: CanvasTextAlign;
  dash: number[];
  /** Clip groups open when this state was saved. */
  groups: number;
};

const n = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/\.?0+$/, ""));

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export class SvgContext {
  fillStyle: Paint = "#000000";
  strokeStyle: Paint = "#000000";
  lineWidth = 1;
  globalAlpha = 1;
  font = "10px sans-serif";
  textBaseline: CanvasTextBaseline = "alphabetic";
  textAlign: CanvasTextAlign = "start";

  private dash: number[] = [];
  private body: string[] = [];
  private defs: string[] = [];
  private defined = new Set<string>();
  private path = "";
  private current: Point | null = null;
  private start: Point | null = null;
  private stack: Saved[] = [];
  private groups = 0;
  private ids = 0;

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly measure: (text: string, font: string) => number,
  ) {}

  // State ------------------------------------------------------------------

  save(): void {
    this.stack.push({
      fillStyle: this.fillStyle,
      strokeStyle: this.strokeStyle,
      lineWidth: this.lineWidth,
      globalAlpha: this.globalAlpha,
      font: this.font,
      textBaseline: this.textBaseline,
      textAlign: this.textAlign,
      dash: this.dash,
      groups: this.groups,
    });
  }

  restore(): void {
    const s = this.stack.pop();
    if (!s) return;
    while (this.groups > s.groups) {
      this.body.push("</g>");
      this.groups--;
    }
    this.fillStyle = s.fillStyle;
    this.strokeStyle = s.strokeStyle;
    this.lineWidth = s.lineWidth;
    this.globalAlpha = s.globalAlpha;
    this.font = s.font;
    this.textBaseline = s.textBaseline;
    this.textAlign = s.textAlign;
    this.dash = s.dash;
  }

  setLineDash(segments: number[]): void {
    this.dash = [...segments];
  }

  getLineDash(): number[] {
    return [...this.dash];
  }

  /** Transforms are the canvas's device-pixel scaling: the SVG has none. */
  setTransform(): void {}

  createLinearGradient(x0: number, y0: number, x1: number, y1: number): SvgGradient {
    return new SvgGradient(`g${++this.ids}`, x0, y0, x1, y1);
  }

  measureText(text: string): { width: number } {
    return { width: this.measure(text, this.font) };
  }

  // Paths ------------------------------------------------------------------

  beginPath(): void {
    this.path = "";
    this.current = null;
    this.start = null;
  }

  moveTo(x: number, y: number): void {
    this.path += `M${n(x)} ${n(y)}`;
    this.current = { x, y };
    this.start = { x, y };
  }

  lineTo(x: number, y: number): void {
    if (!this.current) return this.moveTo(x, y);
    this.path += `L${n(x)} ${n(y)}`;
    this.current = { x, y };
  }

  closePath(): void {
    if (!this.current) return;
    this.path += "Z";
    this.current = this.start;
  }

  rect(x: number, y: number, w: number, h: number): void {
    this.moveTo(x, y);
    this.path += `H${n(x + w)}V${n(y + h)}H${n(x)}Z`;
    this.current = { x, y };
  }

  /** Canvas `arcTo`: a line towards (x1, y1), turning on a circle of radius
   *  `r` tangent to both lines, ending where it meets the line to (x2, y2). */
  arcTo(x1: number, y1: number, x2: number, y2: number, r: number): void {
    const p0 = this.current;
    if (!p0) return this.moveTo(x1, y1);
    const v1 = { x: p0.x - x1, y: p0.y - y1 };
    const v2 = { x: x2 - x1, y: y2 - y1 };
    const l1 = Math.hypot(v1.x, v1.y);
    const l2 = Math.hypot(v2.x, v2.y);
    const cross = v1.x * v2.y - v1.y * v2.x;
    if (r <= 0 || l1 === 0 || l2 === 0 || Math.abs(cross) < 1e-9) return this.lineTo(x1, y1);
    const cos = (v1.x * v2.x + v1.y * v2.y) / (l1 * l2);
    const angle = Math.acos(Math.max(-1, Math.min(1, cos)));
    const d = r / Math.tan(angle / 2);
    const t1 = { x: x1 + (v1.x / l1) * d, y: y1 + (v1.y / l1) * d };
    const t2 = { x: x1 + (v2.x / l2) * d, y: y1 + (v2.y / l2) * d };
    this.lineTo(t1.x, t1.y);
    this.path += `A${n(r)} ${n(r)} 0 0 ${cross < 0 ? 1 : 0} ${n(t2.x)} ${n(t2.y)}`;
    this.current = t2;
  }

  arc(cx: number, cy: number, r: number, a0: number, a1: number, ccw = false): void {
    const at = (a: number): Point => ({ x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) });
    const p = at(a0);
    if (this.current) this.lineTo(p.x, p.y);
    else this.moveTo(p.x, p.y);
    let sweep = ccw ? a0 - a1 : a1 - a0;
    if (sweep >= Math.PI * 2 - 1e-9) {
      // A whole circle: two half arcs (one SVG arc cannot end where it starts).
      const mid = at(a0 + (ccw ? -Math.PI : Math.PI));
      const flag = ccw ? 0 : 1;
      this.path += `A${n(r)} ${n(r)} 0 1 ${flag} ${n(mid.x)} ${n(mid.y)}A${n(r)} ${n(r)} 0 1 ${flag} ${n(p.x)} ${n(p.y)}`;
      this.current = p;
      return;
    }
    sweep = ((sweep % (Math.PI * 2)) + Math.PI * 2) % (Math.PI * 2);
    const e = at(ccw ? a0 - sweep : a0 + sweep);
    this.path += `A${n(r)} ${n(r)} 0 ${sweep > Math.PI ? 1 : 0} ${ccw ? 0 : 1} ${n(e.x)} ${n(e.y)}`;
    this.current = e;
  }

  // Painting ---------------------------------------------------------------

  private paint(p: Paint): string {
    if (typeof p === "string") return escapeXml(p);
    if (!this.defined.has(p.id)) {
      this.defined.add(p.id);
      const stops = p.stops.map(([o, c]) => `<stop offset="${n(o)}" stop-color="${escapeXml(c)}"/>`).join("");
      this.defs.push(
        `<linearGradient id="${p.id}" gradientUnits="userSpaceOnUse" x1="${n(p.x0)}" y1="${n(p.y0)}" x2="${n(p.x1)}" y2="${n(p.y1)}">${stops}</linearGradient>`,
      );
    }
    return `url(#${p.id})`;
  }

  private alpha(): string {
    return this.globalAlpha < 1 ? ` opacity="${n(this.globalAlpha)}"` : "";
  }

  fillRect(x: number, y: number, w: number, h: number): void {
    if (w <= 0 || h <= 0) return;
    this.body.push(`<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="${this.paint(this.fillStyle)}"${this.alpha()}/>`);
  }

  fill(): void {
    if (!this.path) return;
    this.body.push(`<path d="${this.path}" fill="${this.paint(this.fillStyle)}"${this.alpha()}/>`);
  }

  stroke(): void {
    if (!this.path) return;
    const dash = this.dash.length > 0 ? ` stroke-dasharray="${this.dash.map(n).join(" ")}"` : "";
    this.body.push(
      `<path d="${this.path}" fill="none" stroke="${this.paint(this.strokeStyle)}" stroke-width="${n(this.lineWidth)}"${dash}${this.alpha()}/>`,
    );
  }

  /** Clips what follows to the current path, until the matching `restore`. */
  clip(): void {
    const id = `c${++this.ids}`;
    this.defs.push(`<clipPath id="${id}"><path d="${this.path}"/></clipPath>`);
    this.body.push(`<g clip-path="url(#${id})">`);
    this.groups++;
  }

  fillText(text: string, x: number, y: number): void {
    const baseline =
      this.textBaseline === "middle" ? ' dominant-baseline="central"' : this.textBaseline === "top" ? ' dominant-baseline="hanging"' : "";
    const anchor = this.textAlign === "center" ? ' text-anchor="middle"' : this.textAlign === "right" || this.textAlign === "end" ? ' text-anchor="end"' : "";
    this.body.push(
      `<text x="${n(x)}" y="${n(y)}" style="font: ${escapeXml(this.font)}" fill="${this.paint(this.fillStyle)}"${baseline}${anchor}${this.alpha()}>${escapeXml(text)}</text>`,
    );
  }

  /** The drawing as a standalone SVG document. */
  toString(): string {
    const close = "</g>".repeat(this.groups);
    return (
      `<?xml version="1.0" encoding="UTF-8"?>\n` +
      `<svg xmlns="http://www.w3.org/2000/svg" width="${n(this.width)}" height="${n(this.height)}" viewBox="0 0 ${n(this.width)} ${n(this.height)}">\n` +
      `<defs>${this.defs.join("")}</defs>\n` +
      this.body.join("\n") +
      close +
      `\n</svg>\n`
    );
  }
}
