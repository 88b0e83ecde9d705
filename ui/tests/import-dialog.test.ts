import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mockIPC } from "@tauri-apps/api/mocks";
import ImportDialog from "../src/components/ImportDialog.svelte";
import { app } from "../src/state.svelte";
import { clearMocks, render, seedBackend, settle } from "./helpers";
import recorded from "../src/mock/recorded/import-outcome.json";

const views: Array<ReturnType<typeof render>> = [];
beforeEach(() => {
  seedBackend();
});
afterEach(() => {
  while (views.length) views.pop()!.destroy();
  app.importing = null;
  clearMocks();
});

const text = (testid: string) => document.querySelector(`[data-testid=${testid}]`)?.textContent ?? "";

async function importFolder(): Promise<void> {
  const source = { kind: "files" as const, paths: ["/home/analyst/news"] };
  app.importing = source;
  views.push(render(ImportDialog, { source }));
  document.querySelector<HTMLButtonElement>("[data-testid=import-start]")!.click();
  await settle();
}

describe("import dialog", () => {
  it("summarizes the core's outcome: items that need attention first, bad lines counted with examples", async () => {
    await importFolder();
    expect(text("import-summary")).toContain("3 imported · 1 skipped · 3 bad lines · 1 event to review");
    const rows = [...document.querySelectorAll<HTMLElement>("[data-testid=import-results] > li")];
    expect(rows.map((r) => r.dataset.outcome)).toEqual(["skipped", "imported", "imported", "imported"]);
    expect(rows[0]!.textContent).toContain("the file is empty");
    const bad = text("import-bad-lines");
    expect(bad).toContain("news/reuters.jsonl");
    expect(bad).toContain("3 lines are not stories");
    expect(bad).toContain("line 3: not a story: missing field `text`");
    // Every row of the recorded answer is shown: nothing is said to be hidden.
    expect(document.querySelector("[data-testid=import-more]")).toBeNull();
    expect(recorded.items).toHaveLength(rows.length);
  });

  it("says how many items the core counted but did not list", async () => {
    const many = { ...recorded, imported: recorded.imported + 1000, cancelled: 7 };
    mockIPC((cmd) => (cmd === "import_files" ? many : null));
    await importFolder();
    expect(text("import-more")).toBe("…and 1,007 more: 1,000 imported, 7 cancelled.");
  });

  it("shows a path the shell did not grant as an error the user can read, and stays ready", async () => {
    mockIPC((cmd) => {
      if (cmd === "import_files") {
        throw { kind: "not_granted", message: "Annals imports only files chosen in its Import dialog or dropped on its window" };
      }
      return null;
    });
    await importFolder();
    expect(document.querySelector("[role=alert]")?.textContent).toContain("chosen in its Import dialog");
    expect(document.querySelector("[data-testid=import-start]")).not.toBeNull();
  });
});
