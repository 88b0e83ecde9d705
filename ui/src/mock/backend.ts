// An in-memory stand-in for the Rust commands, for screenshots and unit tests
// without the app. Same wire shapes and error shapes; the semantics follow
// crates/annals-core/src/query.rs closely enough to look at the UI with. Not
// imported by the app.
import type { Article } from "../bindings/Article";
import type { Bin } from "../bindings/Bin";
import type { Country } from "../bindings/Country";
import type { Event } from "../bindings/Event";
import type { EventFilter } from "../bindings/EventFilter";
import type { EventInput } from "../bindings/EventInput";
import type { FacetCount } from "../bindings/FacetCount";
import type { Facets } from "../bindings/Facets";
import type { Mission } from "../bindings/Mission";
import type { Precision } from "../bindings/Precision";
import type { TimelineItem } from "../bindings/TimelineItem";
import type { WindowQuery } from "../bindings/WindowQuery";
import type { WindowResult } from "../bindings/WindowResult";
import type { ImportOutcome } from "../bindings/ImportOutcome";
// What the real import pipeline answered for a fixture folder (a datelined file,
// an empty one, a corpus with bad lines): written by annals-core's test
// `the_outcome_the_ui_tests_answer_with_is_the_one_the_core_gives`.
import recordedImport from "./recorded/import-outcome.json";
import { checkEventDate, hiOf, humanEventDate, loOf, parsePartialDate, precisionOf } from "../lib/date";
import { KIND_LABELS, STATUS_LABELS } from "../lib/kinds";

export type WireError = { kind: string; message: string; field?: string };
const invalid = (field: string, message: string): WireError => ({ kind: "invalid", message, field });

type Row = { ev: Event; lo: number; hi: number; text: string };

const PRECISION_ORDER: Precision[] = ["year", "month", "day", "minute"];

export type Dataset = { countries: Country[]; missions: Mission[]; events: Event[]; articles?: Article[] };

export function spanOf(ev: Pick<Event, "date">): { lo: number; hi: number; precision: Precision } {
  const s = parsePartialDate(ev.date.start);
  if (!s.ok) throw invalid("date", s.reason);
  const e = ev.date.end ? parsePartialDate(ev.date.end) : s;
  if (!e.ok) throw invalid("date", e.reason);
  const ps = precisionOf(s.value);
  const pe = precisionOf(e.value);
  const precision = PRECISION_ORDER[Math.min(PRECISION_ORDER.indexOf(ps), PRECISION_ORDER.indexOf(pe))] ?? ps;
  return { lo: loOf(s.value), hi: hiOf(e.value), precision };
}

function searchText(ev: Event): string {
  return [ev.title, ev.summary, ev.city ?? "", ...ev.sources.map((s) => s.quote)].join(" ").toLowerCase();
}

export class MockBackend {
  private rows = new Map<number, Row>();
  private sorted: Row[] | null = null;
  private nextId = 1;
  private deleted = new Map<number, Event>();
  private nextToken = 1;
  countries: Country[];
  missions: Mission[];
  articles: Article[];
  /** Every command seen, for tests. */
  calls: Array<{ cmd: string; args: unknown }> = [];

  constructor(data: Dataset, private readonly now = "2024-01-01T00:00:00Z") {
    this.countries = data.countries;
    this.missions = data.missions;
    this.articles = data.articles ?? [];
    for (const ev of data.events) this.put(ev);
  }

  private put(ev: Event): void {
    const { lo, hi } = spanOf(ev);
    this.rows.set(ev.id, { ev, lo, hi, text: searchText(ev) });
    this.nextId = Math.max(this.nextId, ev.id + 1);
    this.sorted = null;
  }

  private all(): Row[] {
    if (!this.sorted) this.sorted = [...this.rows.values()].sort((a, b) => a.lo - b.lo || a.hi - b.hi || a.ev.id - b.ev.id);
    return this.sorted;
  }

  private matcher(f: EventFilter, skip?: "country" | "mission" | "kind" | "status"): (r: Row) => boolean {
    const from = f.from ? parsePartialDate(f.from) : null;
    const to = f.to ? parsePartialDate(f.to) : null;
    if (from && !from.ok) throw invalid("from", from.reason);
    if (to && !to.ok) throw invalid("to", to.reason);
    if (from?.ok && to?.ok && hiOf(to.value) <= loOf(from.value)) throw invalid("to", "the end of the date range is before its start");
    const words = (f.text ?? "").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w !== "");
    const countries = new Set(f.countries.map((c) => c.toUpperCase()));
    return (r) => {
      const ev = r.ev;
      if (skip !== "country" && countries.size > 0 && !ev.countries.some((c) => countries.has(c))) return false;
      if (skip !== "mission" && f.missions.length > 0 && (ev.mission_id === null || !f.missions.includes(ev.mission_id))) return false;
      if (skip !== "kind" && f.kinds.length > 0 && !f.kinds.includes(ev.kind)) return false;
      if (skip !== "status" && f.statuses.length > 0 && !f.statuses.includes(ev.status)) return false;
      if (from?.ok && !(r.hi > loOf(from.value))) return false;
      if (to?.ok && !(r.lo < hiOf(to.value))) return false;
      for (const w of words) if (!r.text.split(/[^\p{L}\p{N}]+/u).some((t) => t.startsWith(w))) return false;
      return true;
    };
  }

  private lanesOf(r: Row, mode: WindowQuery["lanes"]): string[] {
    switch (mode) {
      case "country":
        return r.ev.countries.length > 0 ? r.ev.countries : [""];
      case "mission":
        return [r.ev.mission_id === null ? "" : String(r.ev.mission_id)];
      case "kind":
        return [r.ev.kind];
      default:
        return [""];
    }
  }

  private item(r: Row, lane: string): TimelineItem {
    return {
      id: r.ev.id, title: r.ev.title, kind: r.ev.kind, status: r.ev.status, lo: r.lo, hi: r.hi,
      precision: r.ev.precision, approximate: r.ev.date.approximate, date_text: r.ev.date_text, lane,
      planned: r.ev.planned,
    };
  }

  window(q: WindowQuery): WindowResult {
    if (q.hi <= q.lo) throw invalid("window", "the window must end after it starts");
    const m = this.matcher(q.filter);
    const rows = this.all().filter((r) => r.lo < q.hi && r.hi > q.lo && m(r));
    const maxItems = Math.min(q.max_items, 20000);
    if (rows.length <= maxItems) {
      const items = rows.flatMap((r) => this.lanesOf(r, q.lanes).map((l) => this.item(r, l)));
      return { total: rows.length, items, bins: [] };
    }
    const nbins = Math.max(1, Math.min(4096, q.bins));
    const width = Math.ceil((q.hi - q.lo) / nbins);
    const groups = new Map<string, { lane: string; b: number; rows: Row[] }>();
    for (const r of rows) {
      const b = Math.floor((Math.max(r.lo, q.lo) - q.lo) / width);
      for (const lane of this.lanesOf(r, q.lanes)) {
        const k = `${lane}\u0000${b}`;
        let g = groups.get(k);
        if (!g) groups.set(k, (g = { lane, b, rows: [] }));
        g.rows.push(r);
      }
    }
    const bins: Bin[] = [];
    const items: TimelineItem[] = [];
    for (const g of groups.values()) {
      if (g.rows.length <= 2) for (const r of g.rows) items.push(this.item(r, g.lane));
      else bins.push({ lane: g.lane, lo: q.lo + g.b * width, hi: q.lo + (g.b + 1) * width, count: g.rows.length });
    }
    bins.sort((a, b) => a.lane.localeCompare(b.lane) || a.lo - b.lo);
    items.sort((a, b) => a.lo - b.lo || a.id - b.id);
    return { total: rows.length, items, bins };
  }

  facets(f: EventFilter): Facets {
    const all = this.all();
    const m = this.matcher(f);
    const matching = all.filter(m);
    const count = (skip: "country" | "mission" | "kind" | "status", keys: (r: Row) => string[], label: (k: string) => string): FacetCount[] => {
      const mm = this.matcher(f, skip);
      const counts = new Map<string, number>();
      for (const r of all) if (mm(r)) for (const k of keys(r)) counts.set(k, (counts.get(k) ?? 0) + 1);
      return [...counts].map(([key, n]) => ({ key, label: label(key), count: n })).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
    };
    const cname = new Map(this.countries.map((c) => [c.code, c.name]));
    const mname = new Map(this.missions.map((x) => [String(x.id), x.name]));
    return {
      total: matching.length,
      countries: count("country", (r) => r.ev.countries, (k) => cname.get(k) ?? k),
      missions: count("mission", (r) => (r.ev.mission_id === null ? [] : [String(r.ev.mission_id)]), (k) => mname.get(k) ?? k),
      kinds: count("kind", (r) => [r.ev.kind], (k) => KIND_LABELS[k as keyof typeof KIND_LABELS] ?? k),
      statuses: count("status", (r) => [r.ev.status], (k) => STATUS_LABELS[k as keyof typeof STATUS_LABELS] ?? k),
      lo: matching[0]?.lo ?? null,
      hi: matching.length ? matching.reduce((h, r) => Math.max(h, r.hi), -Infinity) : null,
      news_lo: matching.find((r) => !r.ev.background)?.lo ?? null,
    };
  }

  list(f: EventFilter, offset: number, limit: number) {
    const m = this.matcher(f);
    const rows = this.all().filter(m);
    return { total: rows.length, offset, events: rows.slice(offset, offset + Math.min(limit, 20000)).map((r) => r.ev) };
  }

  positionOf(f: EventFilter, key: number): number {
    const m = this.matcher(f);
    return this.all().filter((r) => r.lo < key && m(r)).length;
  }

  get(id: number): Event {
    const r = this.rows.get(id);
    if (!r) throw { kind: "not_found", message: `no event with id ${id}` } satisfies WireError;
    return r.ev;
  }

  private build(id: number, input: EventInput, prev?: Event): Event {
    const title = input.title.trim();
    if (title === "") throw invalid("title", "a title is required");
    const d = checkEventDate(input.date.start, input.date.end ?? "");
    if (!("start" in d)) throw invalid("date", `invalid date: ${d.errors.start ?? d.errors.end ?? "bad date"}`);
    for (const c of input.countries) if (!/^[A-Za-z]{2}$/.test(c)) throw invalid("countries", `\`${c}\` is not a two-letter country code`);
    const mission = input.mission_id === null ? null : this.missions.find((x) => x.id === input.mission_id);
    if (mission === undefined) throw invalid("mission", `no mission with id ${input.mission_id}`);
    const date = { start: input.date.start, end: input.date.end, approximate: input.date.approximate };
    const { precision } = spanOf({ date });
    return {
      id,
      title,
      summary: input.summary.trim(),
      kind: input.kind,
      date,
      date_text: humanEventDate(d.start, d.end, input.date.approximate),
      precision,
      city: input.city,
      country: input.country,
      mission_id: mission?.id ?? null,
      mission_name: mission?.name ?? null,
      countries: [...new Set(input.countries.map((c) => c.toUpperCase()))].sort(),
      status: prev?.status ?? "accepted",
      origin: prev?.origin ?? "manual",
      confidence: prev?.confidence ?? null,
      background: input.background,
      planned: input.planned ?? false,
      sources: prev?.sources ?? [],
      created_at: prev?.created_at ?? this.now,
      updated_at: this.now,
      review_note: null,
    };
  }

  create(input: EventInput): Event {
    const ev = this.build(this.nextId, input);
    this.put(ev);
    return ev;
  }

  update(id: number, input: EventInput): Event {
    const prev = this.get(id);
    const ev = this.build(id, input, prev);
    this.put(ev);
    return ev;
  }

  delete(id: number): number {
    const ev = this.get(id);
    this.rows.delete(id);
    this.sorted = null;
    const token = this.nextToken++;
    this.deleted.set(token, ev);
    return token;
  }

  restore(token: number): Event {
    const ev = this.deleted.get(token);
    if (!ev) throw { kind: "not_found", message: `nothing to restore for token ${token}` } satisfies WireError;
    this.deleted.delete(token);
    this.put(ev);
    return ev;
  }

  /** Turns an event into a proposal with this confidence (tests, screenshots). */
  propose(id: number, confidence: number): Event {
    const ev = { ...this.get(id), status: "proposed" as const, origin: "extracted" as const, confidence };
    this.put(ev);
    return ev;
  }

  private setStatus(id: number, status: Event["status"]): Event {
    const ev = { ...this.get(id), status, review_note: null, updated_at: this.now };
    this.put(ev);
    return ev;
  }

  private proposed(articleId: number | null): Event[] {
    return [...this.rows.values()]
      .map((r) => r.ev)
      .filter((e) => e.status === "proposed" && (articleId === null || e.sources.some((s) => s.article_id === articleId)))
      .sort((x, y) => (y.confidence ?? 0) - (x.confidence ?? 0) || x.id - y.id);
  }

  /** The review and article commands, over the events' sources. */
  private reviewCommand(cmd: string, args: Record<string, unknown>): unknown {
    const id = args.id as number;
    const articleId = (args.articleId as number | null | undefined) ?? null;
    switch (cmd) {
      case "review_count":
        return this.proposed(null).length;
      case "review_articles": {
        const all = this.articles.map((art) => {
          const evs = [...this.rows.values()].filter((r) => r.ev.sources.some((s) => s.article_id === art.id));
          return {
            id: art.id, title: art.title, source: art.source, published: art.published, imported_at: art.imported_at,
            proposed: evs.filter((r) => r.ev.status === "proposed").length, events: evs.length,
          };
        });
        const include = (args.include as number | null | undefined) ?? null;
        const waiting = all.filter((a) => a.proposed > 0);
        return {
          articles: all.filter((a) => a.proposed > 0 || a.id === include).slice(0, args.limit as number),
          waiting: waiting.length,
          done: all.filter((a) => a.events > 0 && a.proposed === 0).length,
        };
      }
      case "review_items":
        return this.proposed(articleId)
          .slice(0, args.limit as number)
          .map((event) => ({ event, date_start: null, date_end: null }));
      case "accept_event":
        return this.setStatus(id, "accepted");
      case "reject_event":
        return this.setStatus(id, "rejected");
      case "reopen_event":
        return this.setStatus(id, "proposed");
      case "edit_and_accept":
        this.update(id, args.input as EventInput);
        return this.setStatus(id, "accepted");
      case "accept_above": {
        const min = args.minConfidence as number;
        const list = this.proposed(articleId).filter((e) => (e.confidence ?? 0) >= min);
        for (const e of list) this.setStatus(e.id, "accepted");
        return list.length;
      }
      case "count_above":
        return this.proposed(articleId).filter((e) => (e.confidence ?? 0) >= (args.minConfidence as number)).length;
      case "merge_candidates":
        return [...this.rows.values()].map((r) => r.ev).filter((e) => e.id !== id && e.status !== "rejected").slice(0, 20);
      case "merge_events": {
        const from = this.get(args.from as number);
        const into = this.get(args.into as number);
        const merged = { ...into, sources: [...into.sources, ...from.sources], countries: [...new Set([...into.countries, ...from.countries])].sort() };
        this.rows.delete(from.id);
        this.put(merged);
        return merged;
      }
      case "article_view": {
        const art = this.articles.find((x) => x.id === id);
        if (!art) throw { kind: "not_found", message: `no article with id ${id}` } satisfies WireError;
        const events = [...this.rows.values()].flatMap((r) =>
          r.ev.sources
            .filter((s) => s.article_id === id)
            .map((s) => ({
              id: r.ev.id, title: r.ev.title, kind: r.ev.kind, status: r.ev.status, date_text: r.ev.date_text,
              sentence_start: s.sentence_start, sentence_end: s.sentence_end, timex_index: s.timex_index,
              review_note: r.ev.review_note,
            })),
        );
        events.sort((x, y) => x.sentence_start - y.sentence_start || x.id - y.id);
        return { article: art, timexes: [], events };
      }
      case "set_publication_date":
        return { moved: 0, sent_back: 0 };
      case "choose_import_files":
        return null;
      case "cancel_import":
        return false;
      case "import_files":
      case "import_text":
        // Nothing is imported here: the answer is the one the core recorded.
        return recordedImport as ImportOutcome;
      default:
        throw { kind: "internal", message: `unknown command ${cmd}` } satisfies WireError;
    }
  }

  /** Answers one command the way the Tauri side would. */
  handle(cmd: string, args: Record<string, unknown> = {}): unknown {
    this.calls.push({ cmd, args });
    const a = args as unknown as {
      query: WindowQuery; filter: EventFilter; offset: number; limit: number; key: number; id: number; input: EventInput; token: number;
    };
    switch (cmd) {
      case "app_info":
        return { dbPath: "/home/analyst/.local/share/annals/annals.sqlite3", schemaVersion: 1, version: "0.1.0", eventCount: this.rows.size };
      case "window_events":
        return this.window(a.query);
      case "facets":
        return this.facets(a.filter);
      case "list_events":
        return this.list(a.filter, a.offset, a.limit);
      case "position_of":
        return this.positionOf(a.filter, a.key);
      case "get_event":
        return this.get(a.id);
      case "create_event":
        return this.create(a.input);
      case "update_event":
        return this.update(a.id, a.input);
      case "delete_event":
        return this.delete(a.id);
      case "restore_event":
        return this.restore(a.token);
      case "countries":
        return this.countries;
      case "missions":
        return this.missions;
      case "get_article": {
        const art = this.articles.find((x) => x.id === a.id);
        if (!art) throw { kind: "not_found", message: `no article with id ${a.id}` } satisfies WireError;
        return art;
      }
      default:
        return this.reviewCommand(cmd, args);
    }
  }
}
