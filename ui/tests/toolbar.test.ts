import { afterEach, beforeEach, describe, expect, it } from "vitest";
import Toolbar from "../src/components/Toolbar.svelte";
import FilterPanel from "../src/components/FilterPanel.svelte";
import { app } from "../src/state.svelte";
import { emptyFilter } from "../src/lib/filter";
import { clearMocks, render, seedBackend, settle } from "./helpers";

const views: Array<ReturnType<typeof render>> = [];
beforeEach(() => {
  seedBackend();
  app.filter = emptyFilter();
});
afterEach(() => {
  while (views.length) views.pop()!.destroy();
  clearMocks();
});

function type(el: HTMLInputElement, value: string): void {
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

describe("search box", () => {
  it("keeps what is typed and filters by it after a pause, not on every key", async () => {
    views.push(render(Toolbar, { onzoomin() {}, onzoomout() {}, onfit() {} }));
    const input = document.querySelector("input[data-testid=search]") as HTMLInputElement;
    type(input, "koi");
    await settle(5);
    expect(input.value).toBe("koi");
    expect(app.filter.text).toBe("");
    type(input, "koizumi");
    await new Promise((r) => setTimeout(r, 260));
    await settle(5);
    expect(app.filter.text).toBe("koizumi");
    expect(input.value).toBe("koizumi");
  });

  it("empties when the text filter is cleared elsewhere", async () => {
    views.push(render(Toolbar, { onzoomin() {}, onzoomout() {}, onfit() {} }));
    const input = document.querySelector("input[data-testid=search]") as HTMLInputElement;
    app.filter.text = "war";
    await settle(5);
    expect(input.value).toBe("war");
    app.clearFilters();
    await settle(5);
    expect(input.value).toBe("");
  });
});

describe("date range filter", () => {
  it("keeps a half-typed date and applies a valid one on change", async () => {
    views.push(render(FilterPanel, {}));
    const from = document.querySelector("input[data-testid=filter-from]") as HTMLInputElement;
    type(from, "20");
    await settle(5);
    expect(from.value).toBe("20");
    type(from, "2002-05");
    from.dispatchEvent(new Event("change", { bubbles: true }));
    await settle(5);
    expect(app.filter.from).toBe("2002-05");
    type(from, "2002-02-30");
    from.dispatchEvent(new Event("change", { bubbles: true }));
    await settle(5);
    expect(app.filter.from).toBe("2002-05");
    expect(document.querySelector("#from-error")?.textContent).toBe("From: February 2002 has 28 days");
  });
});
