import { describe, expect, it } from "vitest";
import { dateRangeErrors, emptyFilter, filterChips, isFilterActive, toEventFilter, type Names } from "../src/lib/filter";

const names: Names = {
  country: (c) => ({ JP: "Japan", CN: "China" })[c] ?? c,
  mission: (m) => (m === 3 ? "Spanish Embassy, Beijing" : `Mission ${m}`),
  kind: (k) => (k === "entry" ? "Entry into a mission" : k),
  status: (s) => s,
};

describe("filters", () => {
  it("show one chip per active choice, named for people, in facet order", () => {
    const f = { ...emptyFilter(), countries: ["JP", "CN"], missions: [3], kinds: ["entry" as const], from: "2002", text: " koizumi " };
    expect(filterChips(f, names).map((c) => `${c.facet}: ${c.label}`)).toEqual([
      "Country: Japan",
      "Country: China",
      "Mission: Spanish Embassy, Beijing",
      "Kind: Entry into a mission",
      "From: 2002",
      "Text: “koizumi”",
    ]);
  });

  it("remove exactly one choice when a chip is removed", () => {
    const f = { ...emptyFilter(), countries: ["JP", "CN"], missions: [3] };
    const japan = filterChips(f, names).find((c) => c.id === "country:JP")!;
    expect(japan.without).toEqual({ ...f, countries: ["CN"] });
    expect(f.countries).toEqual(["JP", "CN"]);
    expect(filterChips(emptyFilter(), names)).toEqual([]);
    expect(isFilterActive(emptyFilter())).toBe(false);
    expect(isFilterActive({ ...emptyFilter(), to: "2002" })).toBe(true);
  });

  it("hide rejected events unless a status is chosen", () => {
    expect(toEventFilter(emptyFilter()).statuses).toEqual(["proposed", "accepted"]);
    expect(toEventFilter({ ...emptyFilter(), statuses: ["rejected"] }).statuses).toEqual(["rejected"]);
    expect(toEventFilter(emptyFilter(), false).statuses).toEqual(["accepted"]);
    // Asking for proposed events by status shows them even when hidden by default.
    expect(toEventFilter({ ...emptyFilter(), statuses: ["proposed"] }, false).statuses).toEqual(["proposed"]);
  });

  it("send trimmed text, canonical dates, and leave out dates that do not parse", () => {
    const f = toEventFilter({ ...emptyFilter(), text: "  ", from: " 2002-5 ", to: "2002-13" });
    expect(f).toMatchObject({ text: null, from: "2002-05", to: null });
    expect(toEventFilter({ ...emptyFilter(), from: "-0044" }).from).toBe("-0044");
  });

  it("explain a date range that ends before it starts, and do not send its end", () => {
    expect(dateRangeErrors("2002-05", "2002-04")).toEqual({ to: "the end of the date range is before its start" });
    expect(dateRangeErrors("2002-05", "2002")).toEqual({});
    expect(toEventFilter({ ...emptyFilter(), from: "2002-05", to: "2001" })).toMatchObject({ from: "2002-05", to: null });
  });
});
