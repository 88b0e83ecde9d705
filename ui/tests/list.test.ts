import { afterEach, beforeEach, describe, expect, it } from "vitest";
import EventList from "../src/components/EventList.svelte";
import Details from "../src/components/Details.svelte";
import ChipBar from "../src/components/ChipBar.svelte";
import { app } from "../src/state.svelte";
import { emptyFilter } from "../src/lib/filter";
import { clearMocks, key, render, seedBackend, settle } from "./helpers";
import type { RecordedBackend } from "../src/mock/backend";
import type { Event } from "../src/bindings/Event";

let backend: RecordedBackend;
const views: Array<ReturnType<typeof render>> = [];
/** The seeded database, or one recorded scenario of changes from it. */
function open(scenario?: string): void {
  backend = seedBackend(scenario);
  app.countries = backend.countries;
  app.missions = backend.missions;
  app.filter = emptyFilter();
  void app.select(null);
}
beforeEach(() => open());
afterEach(() => {
  while (views.length) views.pop()!.destroy();
  clearMocks();
});

const list = () => document.querySelector("[data-testid=event-list]") as HTMLElement;
const rows = () => [...document.querySelectorAll("[data-testid=event-row]")];
const activeTitle = () => document.getElementById(list().getAttribute("aria-activedescendant") ?? "")?.querySelector(".row-title")?.textContent;

describe("event list", () => {
  it("lists the filtered events in date order with title, date and mission", async () => {
    views.push(render(EventList, {}));
    await settle();
    expect(rows()).toHaveLength(21);
    expect(rows()[0]!.textContent).toContain("Korean War divides the peninsula");
    expect(rows()[0]!.textContent).toContain("1950–1953");
    const consulate = rows().find((r) => r.textContent?.includes("Five North Koreans"))!;
    expect(consulate.textContent).toContain("8 May 2002");
    expect(consulate.textContent).toContain("Japanese Consulate, Shenyang");
    expect(list().getAttribute("role")).toBe("listbox");
    expect(rows().every((r) => r.getAttribute("role") === "option")).toBe(true);
  });

  it("moves with the arrow keys, Home and End, and opens details with Enter", async () => {
    views.push(render(EventList, {}));
    await settle();
    expect(activeTitle()).toBe("Korean War divides the peninsula");
    key(list(), "ArrowDown");
    expect(activeTitle()).toBe("Vienna Convention makes diplomatic premises inviolable");
    key(list(), "ArrowUp");
    key(list(), "ArrowUp");
    expect(activeTitle()).toBe("Korean War divides the peninsula");
    key(list(), "End");
    const last = activeTitle();
    expect(last).toBe(rows()[20]!.querySelector(".row-title")!.textContent);
    key(list(), "Home");
    key(list(), "ArrowDown");
    key(list(), "Enter");
    await settle();
    expect(app.selected?.title).toBe("Vienna Convention makes diplomatic premises inviolable");
    expect(rows()[1]!.getAttribute("aria-selected")).toBe("true");
    expect(rows().filter((r) => r.getAttribute("aria-selected") === "true")).toHaveLength(1);
  });

  it("follows the filter: Japan leaves the six events that involve it", async () => {
    views.push(render(EventList, {}));
    await settle();
    app.toggleCountry("JP", true);
    await settle();
    expect(rows()).toHaveLength(6);
    expect(backend.calls.at(-1)?.args).toMatchObject({ filter: { countries: ["JP"] } });
  });

  it("finds a selected event that is not loaded by asking for its position, and scrolls to it", async () => {
    // 120 later events and "The very last" in 2004, made before the list opens.
    open("many-later");
    const last = backend.setupAnswers.at(-1) as Event;
    views.push(render(EventList, {}));
    await settle();
    expect(rows().some((r) => r.textContent?.includes("The very last"))).toBe(false);
    const calls = backend.calls.length;
    await app.select(last.id);
    await settle();
    expect(backend.calls.slice(calls).find((c) => c.cmd === "position_of")?.args).toMatchObject({ key: Date.UTC(2004, 0, 1) / 60000 });
    const selected = rows().find((r) => r.getAttribute("aria-selected") === "true");
    expect(selected?.getAttribute("data-event-id")).toBe(String(last.id));
    expect(activeTitle()).toBe("The very last");
  });
});

describe("hostile text", () => {
  it("shows a title that looks like HTML as text, in the list and the details, creating no element", async () => {
    const hostile = "<img src=x onerror=alert(1)>";
    // Made with that title, summary "<script>alert(2)</script>" and city "<b>Shenyang</b>".
    open("hostile");
    const ev = backend.setupAnswers[0] as Event;
    expect(ev.title).toBe(hostile);
    views.push(render(EventList, {}));
    await app.select(ev.id);
    views.push(render(Details, {}));
    await settle();
    expect(document.querySelector("[data-testid=details-title]")?.textContent).toBe(hostile);
    expect(rows().some((r) => r.textContent?.includes(hostile))).toBe(true);
    expect(document.querySelector("img, script:not([src]), b")).toBeNull();
    expect(document.querySelector("[data-testid=details-summary]")?.textContent).toBe("<script>alert(2)</script>");
  });
});

describe("filter chips", () => {
  it("show each active filter and remove just that one, or all with Clear all", async () => {
    views.push(render(ChipBar, {}));
    app.toggleCountry("JP", true);
    app.toggleMission(3, true);
    app.filter.text = "koizumi";
    await settle();
    const chips = () => [...document.querySelectorAll("[data-testid=filter-chip]")].map((c) => c.querySelector(".chip-label")?.textContent);
    expect(chips()).toEqual(["Japan", backend.missions.find((m) => m.id === 3)!.name, "“koizumi”"]);
    (document.querySelectorAll("[data-testid=remove-chip]")[0] as HTMLButtonElement).click();
    await settle();
    expect(app.filter.countries).toEqual([]);
    expect(app.filter.missions).toEqual([3]);
    (document.querySelector("[data-testid=clear-filters]") as HTMLButtonElement).click();
    await settle();
    expect(app.filterActive).toBe(false);
    expect(document.querySelector("[data-testid=filter-chip]")).toBeNull();
  });
});

describe("article view", () => {
  it("highlights exactly the quoted sentence, counting offsets in characters", async () => {
    const { default: ArticleDialog } = await import("../src/components/ArticleDialog.svelte");
    const ev = backend.answer("get_event", { id: 1 }) as Event;
    const src = ev.sources[0]!;
    views.push(render(ArticleDialog, { articleId: src.article_id, start: src.sentence_start, end: src.sentence_end }));
    await settle();
    expect(document.querySelector("[data-testid=article-highlight]")?.textContent).toBe(src.quote);
    const pub = document.querySelector("[data-testid=pubdate]")?.textContent ?? "";
    expect(pub).toContain("10 May 2002");
    expect(pub).toContain("printed 7 July 2008");
  });
});
