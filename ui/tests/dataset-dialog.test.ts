import { afterEach, describe, expect, it } from "vitest";
import { mockIPC } from "@tauri-apps/api/mocks";
import DatasetDialog from "../src/components/DatasetDialog.svelte";
import { app, isDataset } from "../src/state.svelte";
import { clearMocks, render, settle } from "./helpers";
// Previews and an import outcome as the core gave them for two fixtures
// (crates/annals-core/tests/it/datasets.rs writes it).
import recorded from "../src/mock/recorded/datasets.json";

const views: Array<ReturnType<typeof render>> = [];
afterEach(() => {
  while (views.length) views.pop()!.destroy();
  app.importing = null;
  app.toasts = [];
  clearMocks();
});

type Call = { cmd: string; args: Record<string, unknown> };

/** Answers the dialog's commands: each preview by the file's name, through
 * `answer` when given; the import with the recorded outcome. */
function backend(answer?: (call: Call) => unknown): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, raw) => {
    const call = { cmd, args: raw as Record<string, unknown> };
    calls.push(call);
    const custom = answer?.(call);
    if (custom !== undefined) return custom;
    if (cmd === "preview_dataset") return String(call.args.path).endsWith("bad-rows.csv") ? recorded.bad_rows : recorded.incidents;
    if (cmd === "import_datasets") return recorded.outcome;
    return null;
  });
  return calls;
}

async function open(paths: string[]): Promise<void> {
  app.importing = { kind: "datasets", paths };
  views.push(render(DatasetDialog, { paths }));
  await settle();
}

const q = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);
const cells = (row: Element) => [...row.querySelectorAll("td")].map((td) => td.textContent?.trim());

function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event("change", { bubbles: true }));
}

describe("dataset import dialog", () => {
  it("shows the proposed mapping and the first rows as the events they become", async () => {
    backend();
    await open(["/home/analyst/data/incidents.csv"]);
    expect(q<HTMLSelectElement>("select[data-field=date]")!.value).toBe("Date");
    expect(q<HTMLSelectElement>("select[data-field=title]")!.value).toBe("Title");
    // Year, month and day columns wait behind a link until asked for or used.
    expect(q("select[data-field=year]")).toBeNull();
    q<HTMLButtonElement>("[data-testid=dataset-split]")!.click();
    await settle();
    expect(q<HTMLSelectElement>("select[data-field=year]")!.value).toBe("");
    const rows = [...document.querySelectorAll("[data-testid=dataset-sample] tbody tr")];
    expect(rows).toHaveLength(5);
    expect(cells(rows[0]!)).toEqual([
      "2",
      "8 May 2002",
      "Five North Koreans try to enter the Japanese Consulate General in Shenyang",
      "Entry into a mission",
      "Shenyang, CN",
    ]);
    expect(q<HTMLInputElement>("[data-testid=dataset-name]")!.placeholder).toBe("incidents");
    // The raw rows say which field each column feeds.
    const heads = [...document.querySelectorAll("[data-testid=dataset-raw] th")].map((th) => th.textContent);
    expect(heads[1]).toBe("DateDate");
    expect(q<HTMLButtonElement>("[data-testid=dataset-start]")!.disabled).toBe(false);
  });

  it("reads the file again through a column the person chose, and shows rows that cannot be events", async () => {
    const calls = backend((c) => (c.cmd === "preview_dataset" && (c.args.options as { mapping: unknown }).mapping ? recorded.bad_rows : undefined));
    await open(["/home/analyst/data/incidents.csv"]);
    choose(q<HTMLSelectElement>("select[data-field=date]")!, "End");
    await settle();
    const last = calls.filter((c) => c.cmd === "preview_dataset").pop()!;
    const options = last.args.options as { mapping: Record<string, unknown>; format: unknown };
    expect(options.mapping.date).toBe("End");
    expect(options.mapping.title).toBe("Title");
    expect(options.format).toBeNull();
    const bad = [...document.querySelectorAll("[data-testid=dataset-sample] tr.bad-row")];
    expect(bad.map((r) => cells(r))).toEqual([
      ["3", "`2002-02-30` is not a date: February 2002 has 28 days"],
      ["4", "the latitude 91 is outside -90 to 90"],
    ]);
  });

  it("will not import while a file's mapping cannot read it, and says why", async () => {
    backend((c) => (c.cmd === "preview_dataset" ? { ...recorded.incidents, sample: [], problem: "the mapping names a date column `When` that the file does not have" } : undefined));
    await open(["/home/analyst/data/incidents.csv"]);
    expect(q("[data-testid=dataset-problem]")!.textContent).toContain("`When`");
    expect(q<HTMLButtonElement>("[data-testid=dataset-start]")!.disabled).toBe(true);
    expect(q("[data-testid=dataset-sample]")).toBeNull();
  });

  it("imports every file with its own mapping and lists the rows left out with their lines", async () => {
    const calls = backend();
    await open(["/home/analyst/data/incidents.csv", "/home/analyst/data/bad-rows.csv"]);
    const tabs = [...document.querySelectorAll<HTMLButtonElement>("[data-testid=dataset-tab]")];
    expect(tabs.map((t) => t.textContent)).toEqual(["incidents.csv", "bad-rows.csv"]);
    tabs[1]!.click();
    await settle();
    expect(q<HTMLSelectElement>("select[data-field=lat]")!.value).toBe("lat");
    q<HTMLInputElement>("[data-testid=dataset-skip-bad]")!.click();
    q<HTMLButtonElement>("[data-testid=dataset-start]")!.click();
    await settle();
    const sent = calls.find((c) => c.cmd === "import_datasets")!.args.files as Array<{ path: string; options: Record<string, unknown> }>;
    expect(sent.map((f) => f.path)).toEqual(["/home/analyst/data/incidents.csv", "/home/analyst/data/bad-rows.csv"]);
    expect(sent.map((f) => (f.options.mapping as { date: string }).date)).toEqual(["Date", "date"]);
    expect(sent.every((f) => f.options.skip_bad_rows === true && f.options.format === "csv" && f.options.dataset === null)).toBe(true);
    expect(q("[data-testid=import-summary]")!.textContent).toContain("2 imported · 2 bad rows · 8 events added");
    const bad = q("[data-testid=import-bad-lines]")!.textContent!;
    expect(bad).toContain("2 rows cannot be read");
    expect(bad).toContain("line 3: `2002-02-30` is not a date");
    expect(q("[data-testid=dataset-show]")).not.toBeNull();
  });

  it("lets a file that cannot be read be left out, and imports the others", async () => {
    const calls = backend((c) => {
      if (c.cmd === "preview_dataset" && String(c.args.path).endsWith("blob.csv")) {
        throw { kind: "invalid", message: "the file looks binary (a NUL byte at offset 3)" };
      }
      return undefined;
    });
    await open(["/home/analyst/data/incidents.csv", "/home/analyst/data/blob.csv"]);
    expect(q<HTMLButtonElement>("[data-testid=dataset-start]")!.disabled).toBe(true);
    expect(q("[data-testid=dataset-blocker]")!.textContent).toContain("blob.csv");
    document.querySelectorAll<HTMLButtonElement>("[data-testid=dataset-tab]")[1]!.click();
    await settle();
    expect(q("[data-testid=dataset-error]")!.textContent).toContain("looks binary");
    q<HTMLButtonElement>("[data-testid=dataset-leave-out]")!.click();
    await settle();
    expect(document.querySelectorAll("[data-testid=dataset-tab]")).toHaveLength(0);
    q<HTMLButtonElement>("[data-testid=dataset-start]")!.click();
    await settle();
    const sent = calls.find((c) => c.cmd === "import_datasets")!.args.files as Array<{ path: string }>;
    expect(sent.map((f) => f.path)).toEqual(["/home/analyst/data/incidents.csv"]);
  });

  it("keeps the mapping step open with the error when the shell refuses the import", async () => {
    backend((c) => {
      if (c.cmd === "import_datasets") throw { kind: "busy", message: "an import is already running; wait for it or cancel it" };
      return undefined;
    });
    await open(["/home/analyst/data/incidents.csv"]);
    q<HTMLButtonElement>("[data-testid=dataset-start]")!.click();
    await settle();
    expect(document.querySelector(".dataset-modal [role=alert]")?.textContent).toContain("already running");
    expect(q("[data-testid=dataset-start]")).not.toBeNull();
  });
});

describe("dropped files", () => {
  it("go to the dataset import when every one is a dataset, else to the article import", () => {
    expect(["a.csv", "B.TSV", "events.export.CSV", "t.json", "x.tab"].every(isDataset)).toBe(true);
    expect(["a.txt", "c.jsonl", "folder", "csv"].some(isDataset)).toBe(false);
    app.importPaths(["/d/a.csv", "/d/b.json"]);
    expect(app.importing).toEqual({ kind: "datasets", paths: ["/d/a.csv", "/d/b.json"] });
    app.importing = null;
    app.importPaths(["/d/a.csv", "/d/news"]);
    expect(app.importing).toEqual({ kind: "files", paths: ["/d/news"] });
    expect(app.toasts.at(-1)?.message).toContain("1 dataset was left out");
  });
});
