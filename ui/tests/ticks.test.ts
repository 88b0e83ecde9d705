import { describe, expect, it } from "vitest";
import { axisTicks, estimateWidth, LABEL_GAP, type Axis } from "../src/lib/ticks";
import { keyOf, MINUTES_PER_DAY } from "../src/lib/time";

const W = 1000;
function at(axis: Axis, lo: number, hi: number) {
  return axis.minor.map((t) => ({ x: ((t.key - lo) / (hi - lo)) * W, w: estimateWidth(t.label), label: t.label }));
}
function expectNoCollisions(lo: number, hi: number) {
  const axis = axisTicks(lo, hi, W);
  const ticks = at(axis, lo, hi);
  for (let i = 1; i < ticks.length; i++) {
    // Each label starts 4px after its tick; the next tick must come after it ends.
    expect(ticks[i]!.x - ticks[i - 1]!.x, `${ticks[i - 1]!.label} → ${ticks[i]!.label}`).toBeGreaterThanOrEqual(ticks[i - 1]!.w + 4);
  }
  return axis;
}

describe("axis ticks", () => {
  it("use decades over two centuries, with year labels", () => {
    const lo = keyOf(1800);
    const hi = keyOf(2000);
    const axis = expectNoCollisions(lo, hi);
    expect(axis.unit).toBe("year");
    expect(axis.step).toBe(10);
    expect(axis.minor.map((t) => t.label)).toEqual(Array.from({ length: 20 }, (_, i) => String(1800 + 10 * i)));
  });

  it("use centuries and millennia over the whole range, writing BCE years", () => {
    const axis = expectNoCollisions(keyOf(-9999), keyOf(10000));
    expect(axis.unit).toBe("year");
    expect(axis.step).toBeGreaterThanOrEqual(1000);
    expect(axis.minor.some((t) => t.label.endsWith("BCE"))).toBe(true);
  });

  it("use years, then months with the year above, as the span narrows", () => {
    expect(expectNoCollisions(keyOf(1960), keyOf(2000)).unit).toBe("year");
    const months = expectNoCollisions(keyOf(2001, 7), keyOf(2003, 2));
    expect(months.unit).toBe("month");
    expect(months.minor.map((t) => t.label)).toContain("Jan");
    expect(months.major.map((t) => t.label)).toEqual(["2001", "2002", "2003"]);
  });

  it("use days of the month with the month above, never crowding the turn of a month", () => {
    const lo = keyOf(2002, 4, 20);
    const hi = keyOf(2002, 6, 10);
    const axis = expectNoCollisions(lo, hi);
    expect(axis.unit).toBe("day");
    expect(axis.major.map((t) => t.label)).toEqual(["April 2002", "May 2002", "June 2002"]);
    expect(axis.minor.map((t) => t.label)).toContain("1");
  });

  it("use hours and then minutes, with the day above", () => {
    const lo = keyOf(2002, 5, 8);
    const hours = expectNoCollisions(lo, lo + 2 * MINUTES_PER_DAY);
    expect(hours.unit).toBe("hour");
    expect(hours.major.map((t) => t.label)).toEqual(["Wed 8 May 2002", "Thu 9 May 2002"]);
    expect(hours.minor[0]!.label).toBe("00:00");
    const minutes = expectNoCollisions(lo + 600, lo + 660);
    expect(minutes.unit).toBe("minute");
    expect(minutes.minor.map((t) => t.label)).toContain("10:30");
  });

  it("never collide at any zoom from a minute-wide view to ten thousand years", () => {
    const centre = keyOf(2002, 5, 8, 15, 30);
    for (let span = 60; span < 1e10; span *= 1.7) expectNoCollisions(centre - span / 2, centre + span / 2);
  });

  it("place every minor tick inside the view and in order", () => {
    const lo = keyOf(1987, 3, 3, 5, 17);
    for (const span of [90, 5000, 200000, 4e6, 8e7]) {
      const axis = axisTicks(lo, lo + span, W);
      const keys = axis.minor.map((t) => t.key);
      expect(keys.every((k) => k >= lo && k < lo + span)).toBe(true);
      expect([...keys].sort((a, b) => a - b)).toEqual(keys);
    }
    expect(LABEL_GAP).toBeGreaterThan(4);
  });
});
