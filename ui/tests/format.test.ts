import { describe, expect, it } from "vitest";
import { formatCount } from "../src/lib/format";

describe("formatCount", () => {
  it("groups thousands with commas, as toLocaleString('en') does", () => {
    for (const n of [0, 7, 999, 1000, 12345, 999999, 1000000, 1234567890, -4321]) {
      expect(formatCount(n)).toBe(n.toLocaleString("en"));
    }
  });
  it("rounds fractions and passes non-numbers through", () => {
    expect(formatCount(1234.6)).toBe("1,235");
    expect(formatCount(Number.NaN)).toBe("NaN");
  });
});
