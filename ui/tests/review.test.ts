import { describe, expect, it } from "vitest";
import { quoteParts, quoteRuns } from "../src/lib/review";

describe("quoteParts", () => {
  it("cuts the quote around the date expression", () => {
    expect(quoteParts("Wednesday's incident occurred", 0, 9)).toEqual({ before: "", date: "Wednesday", after: "'s incident occurred" });
  });
  it("counts code points", () => {
    expect(quoteParts("“On 8 May” 😀", 4, 9)).toEqual({ before: "“On ", date: "8 May", after: "” 😀" });
    expect(quoteParts("😀 in 2002", 5, 9).date).toBe("2002");
  });
  it("gives the whole quote when there is no span or it does not fit", () => {
    const whole = { before: "The next day.", date: null, after: "" };
    expect(quoteParts("The next day.", null, null)).toEqual(whole);
    expect(quoteParts("The next day.", 4, 99)).toEqual(whole);
    expect(quoteParts("The next day.", 5, 5)).toEqual(whole);
  });
});

describe("quoteRuns", () => {
  it("marks the date expression and the word the event was read from", () => {
    expect(quoteRuns("Police entered the consulate on Wednesday.", { start: 32, end: 41 }, { start: 7, end: 14 })).toEqual([
      { text: "Police ", mark: null },
      { text: "entered", mark: "trigger" },
      { text: " the consulate on ", mark: null },
      { text: "Wednesday", mark: "date" },
      { text: ".", mark: null },
    ]);
  });
  it("counts code points and leaves off-quote or overlapping spans unmarked", () => {
    expect(quoteRuns("😀 came Friday", { start: 7, end: 13 }, { start: 2, end: 6 })).toEqual([
      { text: "😀 ", mark: null },
      { text: "came", mark: "trigger" },
      { text: " ", mark: null },
      { text: "Friday", mark: "date" },
    ]);
    expect(quoteRuns("Friday", { start: 0, end: 6 }, { start: 0, end: 3 })).toEqual([{ text: "Friday", mark: "date" }]);
    expect(quoteRuns("Short.", null, { start: 3, end: 40 })).toEqual([{ text: "Short.", mark: null }]);
    expect(quoteRuns("", null, null)).toEqual([{ text: "", mark: null }]);
  });
});
