import { describe, expect, it } from "vitest";
import { civilFromDays, daysFromCivil, dateTimeOf, keyOf, keyToHuman, keyToIso, MAX_KEY, MIN_KEY, weekdayOf } from "../src/lib/time";

describe("time keys", () => {
  it("put 1970-01-01T00:00 at zero and count minutes from it", () => {
    expect(keyOf(1970)).toBe(0);
    expect(keyOf(1970, 1, 2)).toBe(1440);
    expect(keyOf(1969, 12, 31, 23, 59)).toBe(-1);
    expect(keyOf(2002, 5, 8)).toBe(Date.UTC(2002, 4, 8) / 60000);
  });

  it("round-trip every day from year -9999 to 9999, leap days included", () => {
    for (let d = daysFromCivil(-9999, 1, 1); d <= daysFromCivil(9999, 12, 31); d += 997) {
      const c = civilFromDays(d);
      expect(daysFromCivil(c.year, c.month, c.day)).toBe(d);
    }
    expect(civilFromDays(daysFromCivil(2000, 2, 29))).toEqual({ year: 2000, month: 2, day: 29 });
    expect(civilFromDays(daysFromCivil(1900, 2, 28) + 1)).toEqual({ year: 1900, month: 3, day: 1 });
  });

  it("handle negative years in the proleptic Gregorian calendar like JavaScript's Date", () => {
    const d = new Date(0);
    d.setUTCFullYear(-44, 2, 15);
    d.setUTCHours(0, 0, 0, 0);
    expect(keyOf(-44, 3, 15)).toBe(d.getTime() / 60000);
    expect(dateTimeOf(keyOf(-44, 3, 15, 12, 30))).toEqual({ year: -44, month: 3, day: 15, hour: 12, minute: 30 });
    expect(keyToIso(keyOf(-44, 3, 15))).toBe("-0044-03-15");
    expect(keyToHuman(keyOf(-43, 3, 15))).toBe("15 March 44 BCE");
  });

  it("split fractional and negative keys into the right day and time", () => {
    expect(dateTimeOf(-0.5)).toEqual({ year: 1969, month: 12, day: 31, hour: 23, minute: 59 });
    expect(keyToIso(keyOf(2002, 5, 8, 15, 30), true)).toBe("2002-05-08T15:30");
    expect(weekdayOf(keyOf(2002, 5, 8))).toBe(2); // a Wednesday
    expect(weekdayOf(keyOf(1970))).toBe(3); // a Thursday
  });

  it("bound the timeline at the first minute of -9999 and the first after 9999", () => {
    expect(dateTimeOf(MIN_KEY)).toMatchObject({ year: -9999, month: 1, day: 1 });
    expect(dateTimeOf(MAX_KEY - 1)).toMatchObject({ year: 9999, month: 12, day: 31, hour: 23, minute: 59 });
  });
});
