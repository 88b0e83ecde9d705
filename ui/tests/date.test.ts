import { describe, expect, it } from "vitest";
import { checkEventDate, formatPartialDate, hiOf, humanEventDate, humanPartialDate, loOf, parsePartialDate, precisionOf, type PartialDate } from "../src/lib/date";
import { keyOf } from "../src/lib/time";

function pd(s: string): PartialDate {
  const p = parsePartialDate(s);
  if (!p.ok) throw new Error(p.reason);
  return p.value;
}
function reason(s: string): string {
  const p = parsePartialDate(s);
  return p.ok ? "" : p.reason;
}

describe("partial dates", () => {
  it("round-trip their text form at every precision, negative years included", () => {
    for (const s of ["2002", "2002-05", "2002-05-08", "2002-05-08T15:30", "-0044-03-15", "0000", "9999-12-31T23:59"]) {
      expect(formatPartialDate(pd(s))).toBe(s);
    }
    expect(formatPartialDate(pd(" 2002-05-08 08:11 "))).toBe("2002-05-08T08:11");
  });

  it("take their precision from the fields given", () => {
    expect(["2002", "2002-05", "2002-05-08", "2002-05-08T08:11"].map((s) => precisionOf(pd(s)))).toEqual(["year", "month", "day", "minute"]);
  });

  it("reject impossible calendar dates with the core's reasons instead of rolling over", () => {
    expect(reason("2002-02-30")).toBe("February 2002 has 28 days");
    expect(reason("1900-02-29")).toBe("February 1900 has 28 days");
    expect(reason("2000-02-29")).toBe("");
    expect(reason("2002-13")).toBe("there is no month 13");
    expect(reason("2002-00-10")).toBe("there is no month 0");
    expect(reason("2002-05-08T24:00")).toBe("time of day must be between 00:00 and 23:59");
    expect(reason("2002-05-08T12:60")).toBe("time of day must be between 00:00 and 23:59");
  });

  it("reject malformed text with a reason", () => {
    expect(reason("")).toBe("the date is empty");
    expect(reason("May 2002")).toBe("expected a four-digit year, as in 2002-05-08");
    expect(reason("02-05-08")).toBe("expected a four-digit year, as in 2002-05-08");
    expect(reason("2002-5-x")).toBe("the day must be a number");
    expect(reason("2002-05-08-01")).toBe("too many parts; expected YYYY-MM-DD");
    expect(reason("2002T10:00")).toBe("a time needs a full date before it");
    expect(reason("２００２")).toBe("the year must be a number");
    expect(reason("10000")).toBe("year 10000 is outside -9999..9999");
    expect(reason("-10000")).toBe("year -10000 is outside -9999..9999");
  });

  it("cover whole months and years: May 2002 runs to the first minute of June", () => {
    expect(loOf(pd("2002-05"))).toBe(keyOf(2002, 5, 1));
    expect(hiOf(pd("2002-05"))).toBe(keyOf(2002, 6, 1));
    expect(hiOf(pd("2002-12"))).toBe(keyOf(2003, 1, 1));
    expect(hiOf(pd("2002"))).toBe(keyOf(2003));
    expect(hiOf(pd("2002-05-08"))).toBe(keyOf(2002, 5, 9));
    expect(loOf(pd("2002-05-08T00:01"))).toBe(keyOf(2002, 5, 8) + 1);
    expect(loOf(pd("1970-01-01"))).toBe(0);
    expect(loOf(pd("-0044-03-15"))).toBeLessThan(0);
  });

  it("read as the core writes them: only what is known, BCE before year 1", () => {
    expect(humanPartialDate(pd("2002-05-08"))).toBe("8 May 2002");
    expect(humanPartialDate(pd("2002-05"))).toBe("May 2002");
    expect(humanPartialDate(pd("2002-05-08T20:11"))).toBe("8 May 2002, 20:11");
    expect(humanPartialDate(pd("-0043"))).toBe("44 BCE");
    expect(humanEventDate(pd("1961"), null, true)).toBe("c. 1961");
    expect(humanEventDate(pd("1950"), pd("1953"), false)).toBe("1950–1953");
    expect(humanEventDate(pd("2002-05-08"), pd("2002-05-09"), false)).toBe("8–9 May 2002");
    expect(humanEventDate(pd("2002-03"), pd("2002-05"), false)).toBe("March–May 2002");
    expect(humanEventDate(pd("2001-12-30"), pd("2002-01-02"), false)).toBe("30 December 2001 – 2 January 2002");
  });

  it("flag an end before the start on the end field, and accept an end inside a coarser start", () => {
    expect(checkEventDate("2002-05-09", "2002-05-08").errors).toEqual({ end: "the end is before the start" });
    expect(checkEventDate("2002", "2002-05-10").errors).toEqual({});
    expect(checkEventDate("2002-02-30", "").errors).toEqual({ start: "February 2002 has 28 days" });
    expect(checkEventDate("2002-05-08", "2002-13").errors).toEqual({ end: "there is no month 13" });
    expect(checkEventDate("1950", "1953")).toMatchObject({ errors: {}, end: pd("1953") });
  });
});
