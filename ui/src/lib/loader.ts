// Fetches what the timeline draws: the visible range plus a margin on each side,
// never more than one request in flight (the latest wish wins), and no request at
// all while the loaded data still covers the view at a similar zoom.
import type { LaneMode } from "../bindings/LaneMode";
import type { EventFilter } from "../bindings/EventFilter";
import type { WindowQuery } from "../bindings/WindowQuery";
import type { WindowResult } from "../bindings/WindowResult";
import { MAX_KEY, MIN_KEY } from "./time";

export type Loaded = {
  /** Which filter, lanes and data version this answers. */
  generation: number;
  lo: number;
  hi: number;
  /** The span of the view it was fetched for. */
  viewSpan: number;
  result: WindowResult;
};

/** Above this many events in the fetched window the core sends counts per bin. */
export const MAX_ITEMS = 2500;
/** Pixels per bin. */
export const BIN_PX = 6;

type Request = { generation: number; viewSpan: number; query: WindowQuery };

export class WindowLoader {
  loaded: Loaded | null = null;
  private generation = 0;
  private inflight: Request | null = null;
  private pending: Request | null = null;
  private filter: EventFilter;
  private lanes: LaneMode;

  constructor(
    private readonly fetch: (q: WindowQuery) => Promise<WindowResult>,
    private readonly onLoad: (l: Loaded) => void,
    private readonly onError: (e: unknown) => void,
    filter: EventFilter,
    lanes: LaneMode,
  ) {
    this.filter = filter;
    this.lanes = lanes;
  }

  get busy(): boolean {
    return this.inflight !== null;
  }

  /** A new filter, lane mode or data: what is loaded no longer answers. */
  reset(filter: EventFilter, lanes: LaneMode): void {
    this.filter = filter;
    this.lanes = lanes;
    this.generation += 1;
    this.pending = null;
  }

  /** Whether data fetched for `have` can draw the view [lo, lo+span). */
  static covers(have: { generation: number; lo: number; hi: number; viewSpan: number; binned: boolean }, generation: number, lo: number, span: number): boolean {
    if (have.generation !== generation) return false;
    const hi = lo + span;
    const inside = lo >= have.lo - 1 && hi <= have.hi + 1;
    if (!inside) return false;
    // Exact items stay exact at any zoom; counts per bin only near the zoom they were cut for.
    if (!have.binned) return true;
    const ratio = span / have.viewSpan;
    return ratio > 0.6 && ratio < 1.7;
  }

  /** Makes sure data for the view [lo, lo+span), drawn across widthPx, is loaded or coming. */
  ensure(lo: number, span: number, widthPx: number): void {
    const l = this.loaded;
    if (l && WindowLoader.covers({ ...l, binned: l.result.bins.length > 0 }, this.generation, lo, span)) return;
    const f = this.inflight;
    if (f && WindowLoader.covers({ generation: f.generation, lo: f.query.lo, hi: f.query.hi, viewSpan: f.viewSpan, binned: true }, this.generation, lo, span)) {
      this.pending = null;
      return;
    }
    const qlo = Math.max(MIN_KEY, Math.floor(lo - span));
    const qhi = Math.min(MAX_KEY, Math.ceil(lo + 2 * span));
    const bins = Math.max(1, Math.min(4096, Math.round((3 * Math.max(widthPx, 1)) / BIN_PX)));
    const req: Request = {
      generation: this.generation,
      viewSpan: span,
      query: { filter: this.filter, lo: qlo, hi: Math.max(qhi, qlo + 1), lanes: this.lanes, max_items: MAX_ITEMS, bins },
    };
    if (this.inflight) {
      this.pending = req;
      return;
    }
    this.start(req);
  }

  private start(req: Request): void {
    this.inflight = req;
    this.fetch(req.query).then(
      (result) => {
        this.inflight = null;
        if (req.generation === this.generation) {
          this.loaded = { generation: req.generation, lo: req.query.lo, hi: req.query.hi, viewSpan: req.viewSpan, result };
          this.onLoad(this.loaded);
        }
        this.next();
      },
      (e: unknown) => {
        this.inflight = null;
        if (req.generation === this.generation) this.onError(e);
        this.next();
      },
    );
  }

  private next(): void {
    const p = this.pending;
    this.pending = null;
    if (p && p.generation === this.generation) this.start(p);
  }
}
