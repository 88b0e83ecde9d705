import { describe, expect, it } from "vitest";
import { quoteParts } from "../src/lib/review";

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
