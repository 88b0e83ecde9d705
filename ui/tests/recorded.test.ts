import { describe, expect, it } from "vitest";
import { canonical, RecordedBackend, type Recording } from "../src/mock/backend";

// A small recording of our own, shaped as the core's recorder writes them.
const recording: Recording = {
  schema_version: 5,
  read_only: null,
  base: [
    { cmd: "review_count", args: {}, ok: 2 },
    { cmd: "get_event", args: { id: 7 }, err: { kind: "not_found", message: "no event with id 7", field: null } },
  ],
  scenarios: {
    decide: [
      { cmd: "accept_event", args: { id: 1 }, err: { kind: "invalid", message: "event 1 is not a proposal", field: null } },
      { cmd: "accept_event", args: { id: 2 }, ok: { id: 2 } },
      { cmd: "review_count", args: {}, ok: 1 },
      { cmd: "reject_event", args: { id: 3 }, ok: { id: 3 } },
    ],
    prepared: [
      { cmd: "create_event", args: { input: { title: "made before" } }, ok: { id: 40 }, setup: true },
      { cmd: "review_count", args: {}, ok: 9 },
    ],
  },
};

describe("the recorded backend", () => {
  it("answers a read with what was recorded, whatever the order of the argument keys", () => {
    const b = new RecordedBackend(recording);
    expect(b.handle("review_count", {})).toBe(2);
    expect(canonical({ b: [1, { y: 2, x: undefined }], a: null })).toBe(canonical({ a: null, b: [1, { y: 2 }] }));
    expect(b.misses).toEqual([]);
  });

  it("throws a recorded refusal as the error the page would get", () => {
    const b = new RecordedBackend(recording);
    expect(() => b.handle("get_event", { id: 7 })).toThrow(expect.objectContaining({ kind: "not_found" }));
    expect(b.misses).toEqual([]);
  });

  it("refuses and remembers a command nobody recorded", () => {
    const b = new RecordedBackend(recording);
    expect(() => b.handle("get_event", { id: 8 })).toThrow(/no recorded answer for get_event \{"id":8\}/);
    expect(b.misses).toHaveLength(1);
  });

  it("takes changes only in the recorded order, and then answers only the reads recorded after them", () => {
    const b = new RecordedBackend(recording, "decide");
    expect(() => b.handle("accept_event", { id: 2 })).toThrow(/next recorded: accept_event \{"id":1\}/);
    // A refused change leaves the database, and so the reads, as they were.
    expect(() => b.handle("accept_event", { id: 1 })).toThrow(expect.objectContaining({ kind: "invalid" }));
    expect(b.handle("review_count", {})).toBe(2);
    expect(b.handle("accept_event", { id: 2 })).toEqual({ id: 2 });
    expect(b.handle("review_count", {})).toBe(1);
    expect(b.handle("reject_event", { id: 3 })).toEqual({ id: 3 });
    expect(() => b.handle("review_count", {})).toThrow(/no recorded answer/);
    expect(() => b.handle("reject_event", { id: 3 })).toThrow(/next recorded: none/);
  });

  it("makes a scenario's setup changes before the test and keeps their answers", () => {
    const b = new RecordedBackend(recording, "prepared");
    expect(b.setupAnswers).toEqual([{ id: 40 }]);
    expect(b.handle("review_count", {})).toBe(9);
    expect(b.calls.map((c) => c.cmd)).toEqual(["review_count"]);
  });

  it("refuses a scenario that was not recorded", () => {
    expect(() => new RecordedBackend(recording, "nothing")).toThrow(/no recorded scenario nothing/);
  });
});
