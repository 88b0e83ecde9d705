import { afterEach, describe, expect, it } from "vitest";
import Toolbar from "../src/components/Toolbar.svelte";
import ReadOnlyNotice from "../src/components/ReadOnlyNotice.svelte";
import ReviewView from "../src/components/ReviewView.svelte";
import Details from "../src/components/Details.svelte";
import Toasts from "../src/components/Toasts.svelte";
import { app } from "../src/state.svelte";
import * as api from "../src/api";
import { READ_ONLY_NOTICE_ID, READ_ONLY_REFUSAL } from "../src/lib/readonly";
import { clearMocks, key, recordedBackend, render, settle } from "./helpers";
import type { RecordedBackend } from "../src/mock/backend";
import type { ReviewItem } from "../src/bindings/ReviewItem";

// The seed article imported into a database whose file is write-protected,
// opened as the window opens it: the recording's `read_only` is what the core
// said of that file, and app_info passes it on.
let backend: RecordedBackend;
const views: Array<ReturnType<typeof render>> = [];

async function start(name: "read-only" | "seed"): Promise<void> {
  backend = recordedBackend(name);
  await app.start();
  app.toasts = [];
}
afterEach(() => {
  while (views.length) views.pop()!.destroy();
  app.info = null;
  app.ready = false;
  app.selected = null;
  app.editing = undefined;
  app.merging = null;
  app.confirming = null;
  app.importing = null;
  app.toasts = [];
  app.setView("timeline", null);
  clearMocks();
});

const button = (testid: string) => document.querySelector<HTMLButtonElement>(`[data-testid=${testid}]`)!;
/** Commands that would change the database, as the page sent them. */
const writes = () => backend.calls.filter((c) => /^(create|update|delete|restore|accept|reject|reopen|edit|merge|decide|set|import)_/.test(c.cmd));
const toolbar = () => render(Toolbar, { onzoomin() {}, onzoomout() {}, onfit() {} });

/** Disabled, saying why in its tooltip and pointing to the notice. */
function refuses(b: HTMLElement | null | undefined): void {
  expect(b, "the control is shown").toBeTruthy();
  expect((b as HTMLButtonElement | HTMLInputElement).disabled, b!.outerHTML).toBe(true);
  expect(b!.title).toContain("read-only");
  if (b instanceof HTMLButtonElement) expect(b.getAttribute("aria-describedby")).toBe(READ_ONLY_NOTICE_ID);
}

describe("a database opened read-only", () => {
  it("is said so under the toolbar, with why and what to change", async () => {
    await start("read-only");
    expect(app.readOnly).toBe("file");
    views.push(render(ReadOnlyNotice, {}));
    const notice = document.getElementById(READ_ONLY_NOTICE_ID)!;
    expect(notice.getAttribute("role")).toBe("status");
    const text = notice.textContent!.replace(/\s+/g, " ");
    expect(text).toContain("Opened read-only — you can browse, but not change this database");
    expect(text).toContain("the database file is write-protected");
    expect(text).toContain("allow writing to the file");
    expect(text).toContain(app.info!.dbPath);
  });

  it("disables adding and importing in the toolbar, and the keys say why", async () => {
    await start("read-only");
    views.push(toolbar(), render(Toasts, {}));
    for (const id of ["add-event", "import", "paste-article", "import-dataset"]) refuses(button(id));
    // What the keys, the menu and a drop would ask for opens nothing.
    app.newEvent();
    app.pasteArticle();
    app.importPaths(["/home/analyst/articles/shenyang.txt"]);
    await app.chooseFiles();
    await app.chooseDatasets();
    await settle();
    expect([app.editing, app.importing]).toEqual([undefined, null]);
    expect(backend.calls.map((c) => c.cmd)).not.toContain("choose_import_files");
    expect(backend.calls.map((c) => c.cmd)).not.toContain("choose_dataset_files");
    // One notice however often it is asked.
    const toasts = [...document.querySelectorAll("[data-testid=toast] .toast-text")].map((t) => t.textContent);
    expect(toasts).toEqual([READ_ONLY_REFUSAL]);
    expect(writes()).toEqual([]);
  });

  it("shows proposals in review with every decision disabled, keys included", async () => {
    await start("read-only");
    app.setView("review", null);
    app.reviewNarrow = { kinds: [], countries: [], band: "any" };
    views.push(render(ReviewView, {}), render(Toasts, {}));
    await settle();
    const cards = [...document.querySelectorAll<HTMLElement>("[data-testid=review-item]")];
    const queued = backend.answer("review_items", {
      filter: { article_id: null, kinds: [], countries: [], min_confidence: null, below_confidence: null },
      limit: 100,
    }) as ReviewItem[];
    expect(cards.length).toBe(queued.length);
    expect(cards.length).toBeGreaterThan(10);
    refuses(button("review-accept-above"));
    refuses(document.querySelector<HTMLInputElement>("[data-testid=review-choose-shown]"));
    for (const card of cards) {
      for (const id of ["review-accept", "review-edit", "review-merge", "review-reject"]) {
        refuses(card.querySelector<HTMLButtonElement>(`[data-testid=${id}]`));
      }
      refuses(card.querySelector<HTMLInputElement>("[data-testid=review-select]"));
    }
    const first = cards[0]!;
    first.focus();
    for (const k of ["a", "r", "e", "m", "x"]) key(first, k);
    await settle();
    expect(writes()).toEqual([]);
    expect([app.editing, app.merging]).toEqual([undefined, null]);
    expect(document.querySelectorAll("[data-testid=review-item]")).toHaveLength(queued.length);
    expect(document.querySelector("[data-testid=review-selection]")).toBeNull();
    expect(document.getElementById("review-keys")!.textContent).toContain("read-only");
  });

  it("shows an event's details with accept, reject, edit and delete disabled", async () => {
    await start("read-only");
    const first = (backend.answer("review_items", {
      filter: { article_id: null, kinds: [], countries: [], min_confidence: null, below_confidence: null },
      limit: 100,
    }) as ReviewItem[])[0]!.event;
    app.selectedId = first.id;
    app.selected = await api.getEvent(first.id);
    views.push(render(Details, {}));
    await settle();
    for (const id of ["details-accept", "details-reject", "edit-event", "delete-event"]) refuses(button(id));
    app.editSelected();
    app.askDelete();
    await app.review(app.selected!, "accept");
    expect([app.editing, app.confirming]).toEqual([undefined, null]);
    expect(writes()).toEqual([]);
  });

  it("is not what a writable database shows", async () => {
    await start("seed");
    expect(app.readOnly).toBeNull();
    views.push(render(ReadOnlyNotice, {}), toolbar());
    expect(document.getElementById(READ_ONLY_NOTICE_ID)).toBeNull();
    for (const id of ["add-event", "import", "paste-article", "import-dataset"]) {
      expect(button(id).disabled).toBe(false);
      expect(button(id).title).not.toContain("read-only");
    }
  });
});
