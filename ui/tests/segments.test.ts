import { describe, expect, it } from "vitest";
import { articleSegments } from "../src/lib/segments";

const join = (s: { text: string }[]) => s.map((x) => x.text).join("");

describe("articleSegments", () => {
  it("keeps every character once, in order", () => {
    const body = "On Wednesday, five people entered. The next day a third came.";
    const segs = articleSegments(body, [{ start: 3, end: 12 }, { start: 35, end: 47 }], { start: 35, end: 61 });
    expect(join(segs)).toBe(body);
  });

  it("marks date expressions by index and the focus sentence, first run flagged", () => {
    const body = "On Wednesday, five people entered. The next day a third came.";
    const segs = articleSegments(body, [{ start: 3, end: 12 }, { start: 35, end: 47 }], { start: 35, end: 61 });
    expect(segs.filter((s) => s.timex === 0).map((s) => s.text)).toEqual(["Wednesday"]);
    expect(segs.filter((s) => s.timex === 1).map((s) => s.text)).toEqual(["The next day"]);
    expect(segs.filter((s) => s.focus).map((s) => s.text).join("")).toBe("The next day a third came.");
    expect(segs.filter((s) => s.first)).toHaveLength(1);
    expect(segs.find((s) => s.first)?.text).toBe("The next day");
  });

  it("counts code points, not UTF-16 units", () => {
    const body = "😀 May 8, 2002 😀";
    const segs = articleSegments(body, [{ start: 2, end: 13 }], { start: 0, end: 0 });
    expect(segs.find((s) => s.timex === 0)?.text).toBe("May 8, 2002");
    expect(join(segs)).toBe(body);
  });

  it("drops spans outside the text or overlapping an earlier one", () => {
    const body = "in May 2002";
    const segs = articleSegments(body, [{ start: 3, end: 11 }, { start: 7, end: 11 }, { start: 9, end: 40 }], { start: 5, end: 99 });
    expect(segs.filter((s) => s.timex !== null).map((s) => [s.timex, s.text])).toEqual([
      [0, "Ma"],
      [0, "y 2002"],
    ]);
    expect(join(segs)).toBe(body);
  });

  it("keeps two adjacent expressions apart", () => {
    const segs = articleSegments("2002 2003", [{ start: 0, end: 4 }, { start: 4, end: 9 }], { start: 0, end: 0 });
    expect(segs.map((s) => s.timex)).toEqual([0, 1]);
  });
});
