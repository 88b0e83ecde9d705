import { afterEach, describe, expect, it } from "vitest";
import { mockIPC } from "@tauri-apps/api/mocks";
import Details from "../src/components/Details.svelte";
import { app } from "../src/state.svelte";
import { clearMocks, render, settle } from "./helpers";
import type { Event } from "../src/bindings/Event";

const views: Array<ReturnType<typeof render>> = [];
afterEach(() => {
  while (views.length) views.pop()!.destroy();
  app.selected = null;
  clearMocks();
});

/** An event as a dataset import writes it: curated, no article behind it. */
const imported: Event = {
  id: 41,
  title: "Five North Koreans try to enter the Japanese Consulate General in Shenyang",
  summary: "",
  kind: "entry",
  date: { start: "2002-05-08", end: null, approximate: false },
  date_text: "8 May 2002",
  precision: "day",
  city: "Shenyang",
  country: "CN",
  mission_id: null,
  mission_name: null,
  countries: ["CN", "JP", "KP"],
  status: "accepted",
  origin: "curated",
  confidence: null,
  background: false,
  planned: false,
  sources: [],
  review_note: null,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
};

describe("details of an event imported from a dataset", () => {
  it("name its dataset, file, line, row id, coordinates and link", async () => {
    const asked: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== "dataset_source") return null;
      asked.push(args);
      return {
        dataset: "incidents",
        row_id: "sy-1",
        file: "/home/analyst/data/incidents.csv",
        line: 2,
        url: "https://example.org/shenyang-1",
        group: "Shenyang",
        lat: 41.8057,
        lon: 123.4315,
      };
    });
    app.selected = imported;
    views.push(render(Details, {}));
    await settle();
    expect(asked).toEqual([{ id: 41 }]);
    const text = document.querySelector("[data-testid=details-dataset]")!.textContent!;
    expect(text).toContain("incidents · Shenyang");
    expect(text).toContain("incidents.csv, line 2 · id sy-1");
    expect(text).toContain("41.8057, 123.4315");
    expect(text).toContain("https://example.org/shenyang-1");
    // A link from a file is text to read and copy, not something to follow.
    expect(document.querySelector("[data-testid=details-dataset] a")).toBeNull();
    expect(document.querySelector(".provenance")!.textContent).toContain("Imported from a dataset");
  });

  it("is not asked for an event with an article behind it", async () => {
    const asked: string[] = [];
    mockIPC((cmd) => {
      asked.push(cmd);
      return null;
    });
    app.selected = { ...imported, origin: "manual" };
    views.push(render(Details, {}));
    await settle();
    expect(asked).not.toContain("dataset_source");
    expect(document.querySelector("[data-testid=details-dataset]")).toBeNull();
  });
});
