// The app's shared state: what is loaded, what is filtered and selected, and the
// actions that change them. Components read it and call its methods; only this
// module and the components' own fetches go through the api layer.
import * as api from "./api";
import { AppError, type AppInfo } from "./api";
import { markOnce } from "./lib/perf";
import type { Country } from "./bindings/Country";
import type { Event } from "./bindings/Event";
import type { EventFilter } from "./bindings/EventFilter";
import type { EventKind } from "./bindings/EventKind";
import type { Facets } from "./bindings/Facets";
import type { LaneMode } from "./bindings/LaneMode";
import type { Mission } from "./bindings/Mission";
import type { Status } from "./bindings/Status";
import { emptyFilter, filterChips, isFilterActive, toEventFilter, type Chip, type FilterState } from "./lib/filter";
import { KIND_LABELS, STATUS_LABELS } from "./lib/kinds";
import { CONFIDENCE_BANDS, type ReviewNarrow } from "./lib/review";
import { formatCount } from "./lib/format";
import type { ReviewFilter } from "./bindings/ReviewFilter";
import type { Decision } from "./bindings/Decision";
import { applyTheme, saveTheme, storedTheme, systemTheme, type Theme } from "./lib/theme";
import { READ_ONLY_REFUSAL } from "./lib/readonly";
import type { WriteProtection } from "./bindings/WriteProtection";

export type Toast = {
  id: number;
  message: string;
  tone: "info" | "error";
  /** Shown as an Undo button when present. */
  undo?: () => void;
};

type Deleted = { token: number; title: string };

/** What an import works on: files (paths from the dialog or a drop) or pasted text. */
export type ImportSource = { kind: "files"; paths: string[] } | { kind: "text" } | { kind: "datasets"; paths: string[] };

/** Files whose rows are events, by their extension (the core's DATASET_EXTENSIONS). */
const DATASET_EXTENSIONS = ["csv", "tsv", "tab", "json"];
export function isDataset(path: string): boolean {
  const ext = path.split(/[\\/]/).pop()?.split(".").slice(1).pop()?.toLowerCase();
  return ext !== undefined && DATASET_EXTENSIONS.includes(ext);
}

export type View = "timeline" | "review";

const SHOW_PROPOSED_KEY = "annals.showProposed";
function storedShowProposed(): boolean {
  try {
    return localStorage.getItem(SHOW_PROPOSED_KEY) !== "false";
  } catch {
    return true;
  }
}

export class AppState {
  info = $state.raw<AppInfo | null>(null);
  fatal = $state.raw<AppError | null>(null);
  ready = $state(false);
  countries = $state.raw<Country[]>([]);
  missions = $state.raw<Mission[]>([]);
  filter = $state<FilterState>(emptyFilter());
  facets = $state.raw<Facets | null>(null);
  lanes = $state<LaneMode>("none");
  selectedId = $state<number | null>(null);
  selected = $state.raw<Event | null>(null);
  /** Bumped after every change to the data, so every view refetches. */
  dataVersion = $state(0);
  /** The event being edited, `null` for a new one; the form is closed when undefined. */
  editing = $state.raw<{ event: Event | null; accept?: boolean } | undefined>(undefined);
  confirming = $state.raw<Event | null>(null);
  /** The article open at a source sentence, if any. */
  article = $state.raw<{ id: number; start: number; end: number } | null>(null);
  /** The main area: the timeline and list, or the review queue. */
  view = $state<View>("timeline");
  /** The article the review queue shows (all articles when null). */
  reviewArticle = $state<number | null>(null);
  /** What else narrows the review queue: kinds, countries, a confidence band. */
  reviewNarrow = $state<ReviewNarrow>({ kinds: [], countries: [], band: "any" });
  /** How many events wait for review, in all. */
  proposedCount = $state(0);
  /** Whether the timeline and list show proposed events besides accepted ones. */
  showProposed = $state(storedShowProposed());
  /** The proposal being merged into another event (the merge dialog), if any. */
  merging = $state.raw<Event | null>(null);
  /** The import dialog, when open. */
  importing = $state.raw<ImportSource | null>(null);
  /** The export dialog is open. */
  exporting = $state(false);
  toasts = $state<Toast[]>([]);
  theme = $state<Theme>("light");

  eventFilter: EventFilter = $derived(toEventFilter(this.filter, this.showProposed));
  countryNames = $derived(new Map(this.countries.map((c) => [c.code, c.name])));
  missionNames = $derived(new Map(this.missions.map((m) => [m.id, m.name])));
  chips: Chip[] = $derived(
    filterChips(this.filter, {
      country: (c) => this.countryNames.get(c) ?? c,
      mission: (m) => this.missionNames.get(m) ?? `Mission ${m}`,
      kind: (k) => KIND_LABELS[k] ?? k,
      status: (s) => STATUS_LABELS[s] ?? s,
    }),
  );
  filterActive = $derived(isFilterActive(this.filter));

  /** Why the database opened read-only (browse, no edits), or null when it can
   * be changed. Every control that writes is disabled while it is set. */
  get readOnly(): WriteProtection | null {
    return this.info?.readOnly ?? null;
  }

  /** True, after saying why, when the database cannot be changed: for the
   * keys and menu items that ask for a change. */
  private refusedReadOnly(): boolean {
    if (this.readOnly === null) return false;
    if (!this.toasts.some((t) => t.message === READ_ONLY_REFUSAL)) this.toast(READ_ONLY_REFUSAL);
    return true;
  }

  /** A dialog is open over the main area. */
  get modal(): boolean {
    return (
      this.editing !== undefined ||
      this.confirming !== null ||
      this.article !== null ||
      this.importing !== null ||
      this.exporting ||
      this.merging !== null
    );
  }

  private lastDeleted: Deleted | null = null;
  private reviewSeq = 0;
  private choosing = false;
  private toastSeq = 0;
  private facetSeq = 0;
  private selectSeq = 0;

  constructor() {
    this.theme = storedTheme() ?? systemTheme();
  }

  async start(): Promise<void> {
    try {
      // One round trip for all three: start-up time is mostly waiting.
      const [info, countries, missions] = await Promise.all([api.appInfo(), api.countries(), api.missions()]);
      markOnce("ready");
      this.info = info;
      this.countries = countries;
      this.missions = missions;
      this.ready = true;
    } catch (e) {
      const err = AppError.from(e);
      this.fatal = err;
    }
  }

  /** Reports a failure: fatal when the database cannot be used, a toast otherwise. */
  fail(e: unknown): AppError {
    const err = AppError.from(e);
    if (err.kind === "database_unusable") this.fatal = err;
    else this.toast(err.message, "error");
    return err;
  }

  async refreshFacets(filter: EventFilter): Promise<void> {
    const seq = ++this.facetSeq;
    try {
      const f = await api.facets(filter);
      markOnce("facets");
      if (seq === this.facetSeq) this.facets = f;
    } catch (e) {
      if (seq === this.facetSeq) this.fail(e);
    }
  }

  async refreshReviewCount(): Promise<void> {
    const seq = ++this.reviewSeq;
    try {
      const n = await api.reviewCount();
      if (seq === this.reviewSeq) this.proposedCount = n;
    } catch (e) {
      if (seq === this.reviewSeq) this.fail(e);
    }
  }

  countryName(code: string): string {
    return this.countryNames.get(code) ?? code;
  }

  // Filters ---------------------------------------------------------------

  setFilter(f: FilterState): void {
    this.filter = f;
  }
  toggleCountry(code: string, on: boolean): void {
    this.filter.countries = on ? [...new Set([...this.filter.countries, code])] : this.filter.countries.filter((c) => c !== code);
  }
  toggleMission(id: number, on: boolean): void {
    this.filter.missions = on ? [...new Set([...this.filter.missions, id])] : this.filter.missions.filter((m) => m !== id);
  }
  toggleKind(kind: EventKind, on: boolean): void {
    this.filter.kinds = on ? [...new Set([...this.filter.kinds, kind])] : this.filter.kinds.filter((k) => k !== kind);
  }
  toggleStatus(status: Status, on: boolean): void {
    this.filter.statuses = on ? [...new Set([...this.filter.statuses, status])] : this.filter.statuses.filter((s) => s !== status);
  }
  clearFilters(): void {
    this.filter = emptyFilter();
  }

  // Selection -------------------------------------------------------------

  async select(id: number | null): Promise<void> {
    const seq = ++this.selectSeq;
    this.selectedId = id;
    if (id === null) {
      this.selected = null;
      return;
    }
    if (this.selected?.id !== id) this.selected = null;
    try {
      const ev = await api.getEvent(id);
      if (seq === this.selectSeq) this.selected = ev;
    } catch (e) {
      if (seq !== this.selectSeq) return;
      const err = AppError.from(e);
      if (err.kind === "not_found") {
        this.selectedId = null;
        this.selected = null;
        this.toast("That event no longer exists", "error");
      } else this.fail(err);
    }
  }

  closeDetails(): void {
    void this.select(null);
  }

  openArticle(id: number, start: number, end: number): void {
    this.article = { id, start, end };
  }
  closeArticle(): void {
    this.article = null;
  }

  // Import and review ----------------------------------------------------

  /** Asks for files in the native dialog, then opens the import dialog on them. */
  chooseFiles(): Promise<void> {
    return this.choose(api.chooseImportFiles, "files");
  }
  /** File › Import Dataset…: asks for dataset files, then opens the mapping step. */
  chooseDatasets(): Promise<void> {
    return this.choose(api.chooseDatasetFiles, "datasets");
  }
  private async choose(pick: () => Promise<string[] | null>, kind: "files" | "datasets"): Promise<void> {
    // The menu's accelerator and the page's key may both ask: one dialog only.
    if (this.modal || this.choosing || this.refusedReadOnly()) return;
    this.choosing = true;
    try {
      const paths = await pick();
      if (paths && paths.length > 0 && !this.modal) this.importing = { kind, paths };
    } catch (e) {
      this.fail(e);
    } finally {
      this.choosing = false;
    }
  }
  /** Paths dropped on the window: datasets (CSV, TSV, GDELT, TimelineJS JSON) go
   * to the dataset import with its mapping step, anything else to the article
   * import. A drop of both imports the articles and says to drop the datasets
   * on their own. */
  importPaths(paths: string[]): void {
    if (this.modal || paths.length === 0 || this.refusedReadOnly()) return;
    const datasets = paths.filter(isDataset);
    if (datasets.length === paths.length) {
      this.importing = { kind: "datasets", paths };
      return;
    }
    this.importing = { kind: "files", paths: paths.filter((p) => !isDataset(p)) };
    if (datasets.length > 0) {
      const n = datasets.length;
      this.toast(`${n} ${n === 1 ? "dataset was" : "datasets were"} left out: drop ${n === 1 ? "it" : "them"} on ${n === 1 ? "its" : "their"} own to import ${n === 1 ? "it" : "them"} as ${n === 1 ? "a dataset" : "datasets"}`);
    }
  }
  pasteArticle(): void {
    if (!this.modal && !this.refusedReadOnly()) this.importing = { kind: "text" };
  }
  /** The import dialog closed; `changed` when something was written. */
  closeImport(changed: boolean): void {
    this.importing = null;
    if (changed) this.dataVersion += 1;
  }

  setView(view: View, articleId: number | null = this.reviewArticle): void {
    this.view = view;
    this.reviewArticle = articleId;
  }
  setShowProposed(on: boolean): void {
    this.showProposed = on;
    try {
      localStorage.setItem(SHOW_PROPOSED_KEY, String(on));
    } catch {
      // Not kept.
    }
  }

  /** Accepts or rejects the selected (or given) event and refreshes every view. */
  async review(ev: Event, action: "accept" | "reject"): Promise<Event | null> {
    if (this.refusedReadOnly()) return null;
    try {
      const done = action === "accept" ? await api.acceptEvent(ev.id) : await api.rejectEvent(ev.id);
      this.changed(done);
      this.toast(action === "accept" ? `Accepted “${done.title}”` : `Rejected “${done.title}”`, "info", () => void this.reopen(done));
      return done;
    } catch (e) {
      this.fail(e);
      return null;
    }
  }

  /** The review queue's filter as the core takes it, `extra` laid over it. */
  reviewFilter(extra: Partial<ReviewFilter> = {}): ReviewFilter {
    const band = CONFIDENCE_BANDS[this.reviewNarrow.band];
    return {
      article_id: this.reviewArticle,
      kinds: [...this.reviewNarrow.kinds],
      countries: [...this.reviewNarrow.countries],
      min_confidence: band.min,
      below_confidence: band.below,
      ...extra,
    };
  }

  /** Accepts or rejects many proposals at once (chosen ones, or all a filter
   * takes), with one Undo that sends them all back. */
  async decideMany(what: { ids: number[] } | { filter: ReviewFilter }, decision: Decision): Promise<number[] | null> {
    if (this.refusedReadOnly()) return null;
    try {
      const ids = "ids" in what ? await api.decideEvents(what.ids, decision) : await api.decideMatching(what.filter, decision);
      this.changed(null);
      if (ids.length === 0) {
        this.toast("Nothing left to decide: they were decided meanwhile");
        return ids;
      }
      const n = `${formatCount(ids.length)} ${ids.length === 1 ? "proposal" : "proposals"}`;
      this.toast(decision === "accept" ? `Accepted ${n}` : `Rejected ${n}`, "info", () => void this.reopenMany(ids));
      return ids;
    } catch (e) {
      this.fail(e);
      return null;
    }
  }

  /** The Undo of a bulk decision. */
  async reopenMany(ids: number[]): Promise<void> {
    this.toasts = this.toasts.filter((t) => !t.undo);
    try {
      const back = await api.reopenEvents(ids);
      this.changed(null);
      this.toast(`${formatCount(back.length)} ${back.length === 1 ? "proposal is" : "proposals are"} back in review`);
    } catch (e) {
      this.fail(e);
    }
  }

  /** Sends an event back to review (the toast's Undo after accept or reject). */
  async reopen(ev: Event): Promise<void> {
    this.toasts = this.toasts.filter((t) => !t.undo);
    try {
      const back = await api.reopenEvent(ev.id);
      this.changed(back);
      this.toast(`“${back.title}” is back in review`);
    } catch (e) {
      this.fail(e);
    }
  }

  /** After an event changed outside the form: refresh views and the details. */
  changed(ev: Event | null): void {
    this.dataVersion += 1;
    if (ev && this.selectedId === ev.id) this.selected = ev;
  }

  /** Edit then accept: the form opens on a proposal and its save accepts it. */
  editAndAccept(ev: Event): void {
    if (!this.refusedReadOnly()) this.editing = { event: ev, accept: true };
  }

  /** The merge dialog on a proposal, to merge it into another event. */
  startMerge(ev: Event): void {
    if (!this.refusedReadOnly()) this.merging = ev;
  }

  // Editing ---------------------------------------------------------------

  newEvent(): void {
    if (!this.refusedReadOnly()) this.editing = { event: null };
  }
  editSelected(): void {
    if (this.selected && !this.refusedReadOnly()) this.editing = { event: this.selected };
  }
  closeForm(): void {
    this.editing = undefined;
  }
  /** After the form saved: show the event and refresh every view. */
  saved(ev: Event, created: boolean, accepted = false): void {
    this.editing = undefined;
    this.dataVersion += 1;
    if (this.view === "timeline" || this.selectedId === ev.id) {
      this.selectedId = ev.id;
      this.selected = ev;
    }
    this.toast(created ? `Added “${ev.title}”` : accepted ? `Accepted “${ev.title}”` : `Saved “${ev.title}”`);
  }

  askDelete(): void {
    if (this.selected && !this.refusedReadOnly()) this.confirming = this.selected;
  }
  cancelDelete(): void {
    this.confirming = null;
  }
  async confirmDelete(): Promise<void> {
    const ev = this.confirming;
    this.confirming = null;
    if (!ev) return;
    try {
      const token = await api.deleteEvent(ev.id);
      this.lastDeleted = { token, title: ev.title };
      if (this.selectedId === ev.id) void this.select(null);
      this.dataVersion += 1;
      this.toast(`Deleted “${ev.title}”`, "info", () => void this.undoDelete());
    } catch (e) {
      this.fail(e);
    }
  }
  get canUndo(): boolean {
    return this.lastDeleted !== null || this.toasts.some((t) => t.undo);
  }
  /** Ctrl+Z: the newest action a notice offers to undo, else the last delete. */
  undoLast(): void {
    const t = [...this.toasts].reverse().find((x) => x.undo);
    if (t?.undo) t.undo();
    else void this.undoDelete();
  }
  async undoDelete(): Promise<void> {
    const d = this.lastDeleted;
    if (!d) return;
    this.lastDeleted = null;
    this.toasts = this.toasts.filter((t) => !t.undo);
    try {
      const ev = await api.restoreEvent(d.token);
      this.dataVersion += 1;
      this.selectedId = ev.id;
      this.selected = ev;
      this.toast(`Restored “${ev.title}”`);
    } catch (e) {
      this.fail(e);
    }
  }

  // Export ------------------------------------------------------------------

  /** File › Export…: what the timeline and list show, in a format to choose. */
  openExport(): void {
    if (!this.modal) this.exporting = true;
  }

  // Toasts and theme ------------------------------------------------------

  toast(message: string, tone: Toast["tone"] = "info", undo?: () => void): void {
    const id = ++this.toastSeq;
    const t: Toast = { id, message, tone };
    if (undo) t.undo = undo;
    this.toasts = [...this.toasts.slice(-3), t];
    setTimeout(() => this.dismiss(id), undo ? 10000 : tone === "error" ? 8000 : 4000);
  }
  dismiss(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  toggleTheme(): void {
    this.theme = this.theme === "dark" ? "light" : "dark";
    saveTheme(this.theme);
    applyTheme(this.theme);
  }
}

export const app = new AppState();
