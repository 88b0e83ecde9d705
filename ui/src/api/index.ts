// The only module that talks to Tauri. Every function is typed over the bindings
// generated from Rust and rejects only with AppError.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { Article } from "../bindings/Article";
import type { ReviewArticles } from "../bindings/ReviewArticles";
import type { ArticleView } from "../bindings/ArticleView";
import type { ImportProgress } from "../bindings/ImportProgress";
import type { ImportOutcome } from "../bindings/ImportOutcome";
import type { ReanchorReport } from "../bindings/ReanchorReport";
import type { ReviewItem } from "../bindings/ReviewItem";
import type { ReviewFilter } from "../bindings/ReviewFilter";
import type { ReviewFacets } from "../bindings/ReviewFacets";
import type { Decision } from "../bindings/Decision";
import type { Country } from "../bindings/Country";
import type { Event } from "../bindings/Event";
import type { EventFilter } from "../bindings/EventFilter";
import type { EventInput } from "../bindings/EventInput";
import type { Facets } from "../bindings/Facets";
import type { ListPage } from "../bindings/ListPage";
import type { Mission } from "../bindings/Mission";
import type { WindowQuery } from "../bindings/WindowQuery";
import type { WindowResult } from "../bindings/WindowResult";
import type { ExportFormat } from "../bindings/ExportFormat";
import type { ExportedFile } from "../bindings/ExportedFile";
import type { DatasetOptions } from "../bindings/DatasetOptions";
import type { DatasetRequest } from "../bindings/DatasetRequest";
import type { Preview } from "../bindings/Preview";
import type { DatasetSource } from "../bindings/DatasetSource";
import type { AppInfo } from "../bindings/AppInfo";
import { AppError } from "./error";

export { AppError } from "./error";
export type { ErrorKind } from "./error";

/** What `app_info` reports about the running app and its database. */
export type { AppInfo } from "../bindings/AppInfo";

/** Command timings for measurements from outside (`make frames`): while a
 * harness has set `window.__annalsCalls` (an array, or anything with `push`),
 * each command's name and milliseconds from call to answer are pushed onto it.
 * Nothing otherwise. */
type Timed = Window & { __annalsCalls?: { push: (timing: [string, number]) => void } };

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  const timings = (window as Timed).__annalsCalls;
  const t0 = timings ? performance.now() : 0;
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw AppError.from(e);
  } finally {
    if (timings) timings.push([cmd, performance.now() - t0]);
  }
}

export const appInfo = () => call<AppInfo>("app_info");
export const windowEvents = (query: WindowQuery) => call<WindowResult>("window_events", { query });
export const facets = (filter: EventFilter) => call<Facets>("facets", { filter });
export const listEvents = (filter: EventFilter, offset: number, limit: number) =>
  call<ListPage>("list_events", { filter, offset, limit });
export const positionOf = (filter: EventFilter, key: number) => call<number>("position_of", { filter, key });
export const getEvent = (id: number) => call<Event>("get_event", { id });
export const createEvent = (input: EventInput) => call<Event>("create_event", { input });
export const updateEvent = (id: number, input: EventInput) => call<Event>("update_event", { id, input });
export const deleteEvent = (id: number) => call<number>("delete_event", { id });
export const restoreEvent = (token: number) => call<Event>("restore_event", { token });
export const countries = () => call<Country[]>("countries");
export const missions = () => call<Mission[]>("missions");
export const getArticle = (id: number) => call<Article>("get_article", { id });
/** The dataset row an event was imported from; null for any other event. */
export const datasetSource = (id: number) => call<DatasetSource | null>("dataset_source", { id });

// Import, review, re-anchoring ----------------------------------------------

/** The native file chooser; `null` when the user cancels it. */
export const chooseImportFiles = () => call<string[] | null>("choose_import_files");
/** Imports paths the file dialog returned or that were dropped on the window (any
 * other is refused as `not_granted`). `dct` ("YYYY-MM-DD"), when given, is every
 * article's publication date: it wins over a corpus story's own and the dateline's. */
export const importFiles = (paths: string[], dct: string | null) => call<ImportOutcome>("import_files", { paths, dct });
export const importText = (text: string, dct: string | null) => call<ImportOutcome>("import_text", { text, dct });
export const cancelImport = () => call<boolean>("cancel_import");
/** The native file chooser for datasets; `null` when the user cancels it. */
export const chooseDatasetFiles = () => call<string[] | null>("choose_dataset_files");
/** A granted dataset file's first rows, its mapping (the one in `options`, else
 * remembered for its columns, else proposed) and those rows read as events. */
export const previewDataset = (path: string, options: DatasetOptions) => call<Preview>("preview_dataset", { path, options });
/** Imports granted dataset files, each whole or not at all (or its readable rows
 * with `skip_bad_rows`); bad rows come back with their line numbers. */
export const importDatasets = (files: DatasetRequest[]) => call<ImportOutcome>("import_datasets", { files });
export const setPublicationDate = (articleId: number, date: string) =>
  call<ReanchorReport>("set_publication_date", { articleId, date });
export const reviewCount = () => call<number>("review_count");
/** Articles with proposals waiting (the newest `limit`), plus `include` whatever its count. */
export const reviewArticles = (include: number | null, limit: number) =>
  call<ReviewArticles>("review_articles", { include, limit });
/** The surest `limit` proposals (at most 1000) the filter takes. */
export const reviewItems = (filter: ReviewFilter, limit: number) => call<ReviewItem[]>("review_items", { filter, limit });
/** The kinds and countries of the proposals waiting, with their counts. */
export const reviewFacets = (articleId: number | null) => call<ReviewFacets>("review_facets", { articleId });
/** How many proposals the filter takes: what deciding them all decides. */
export const countMatching = (filter: ReviewFilter) => call<number>("count_matching", { filter });
/** Accepts or rejects every proposal the filter takes; resolves to the ids decided. */
export const decideMatching = (filter: ReviewFilter, decision: Decision) => call<number[]>("decide_matching", { filter, decision });
/** Accepts or rejects the proposals among `ids`; resolves to the ids decided. */
export const decideEvents = (ids: number[], decision: Decision) => call<number[]>("decide_events", { ids, decision });
/** Back to review, many at once: the undo of a bulk decision. */
export const reopenEvents = (ids: number[]) => call<number[]>("reopen_events", { ids });
export const acceptEvent = (id: number) => call<Event>("accept_event", { id });
export const rejectEvent = (id: number) => call<Event>("reject_event", { id });
/** Back to review: the undo of an accept or a reject. */
export const reopenEvent = (id: number) => call<Event>("reopen_event", { id });
export const editAndAccept = (id: number, input: EventInput) => call<Event>("edit_and_accept", { id, input });
export const mergeEvents = (from: number, into: number) => call<Event>("merge_events", { from, into });
export const mergeCandidates = (id: number) => call<Event[]>("merge_candidates", { id });
export const articleView = (id: number) => call<ArticleView>("article_view", { id });

// Export ---------------------------------------------------------------------
/** Exports what `filter` selects to a file the shell asks for; null when the
 * user cancels its dialog. */
export const exportEvents = (format: ExportFormat, filter: EventFilter) =>
  call<ExportedFile | null>("export_events", { format, filter });
/** Saves an image of the timeline (PNG or SVG bytes) where the user chooses;
 * resolves to the path, or null when they cancel. */
export async function exportImage(format: "png" | "svg", bytes: Uint8Array): Promise<string | null> {
  try {
    return await invoke<string | null>("export_image", bytes, { headers: { "x-annals-format": format } });
  } catch (e) {
    throw AppError.from(e);
  }
}
/** Saves an article as TimeML where the user chooses. */
export const exportArticleTimeml = (articleId: number) => call<string | null>("export_article_timeml", { articleId });

/** Progress of a running import. Resolves to a function that stops listening. */
export async function onImportProgress(handler: (p: ImportProgress) => void): Promise<() => void> {
  try {
    return await listen<ImportProgress>("import-progress", (e) => handler(e.payload));
  } catch (e) {
    throw AppError.from(e);
  }
}

export type FileDrop = { type: "over" } | { type: "drop"; paths: string[] } | { type: "leave" };

/** Files dragged over and dropped on the window (the shell gives their paths). */
export async function onFileDrop(handler: (d: FileDrop) => void): Promise<() => void> {
  try {
    const { getCurrentWebview } = await import("@tauri-apps/api/webview");
    return await getCurrentWebview().onDragDropEvent((e) => {
      const p = e.payload;
      if (p.type === "drop") handler({ type: "drop", paths: p.paths });
      else if (p.type === "leave") handler({ type: "leave" });
      else handler({ type: "over" });
    });
  } catch (e) {
    throw AppError.from(e);
  }
}

/** Native menu actions ("new-event", "zoom-in", ...), sent by the shell. Resolves
 * to a function that stops listening. */
export async function onMenu(handler: (action: string) => void): Promise<() => void> {
  try {
    return await listen<string>("menu", (e) => handler(e.payload));
  } catch (e) {
    throw AppError.from(e);
  }
}
