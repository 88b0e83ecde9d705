import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import * as api from "../src/api";
import { AppError } from "../src/api";
import type { EventFilter } from "../src/bindings/EventFilter";

const filter: EventFilter = { countries: ["JP"], missions: [], kinds: [], statuses: [], from: null, to: null, text: null };

afterEach(() => clearMocks());

describe("api layer", () => {
  it("turns a rejected {kind, message, field} into an AppError with the same parts", async () => {
    mockIPC(() => {
      throw { kind: "invalid", message: "a title is required", field: "title" };
    });
    const e = await api.createEvent({} as never).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ kind: "invalid", message: "a title is required", field: "title" });
  });

  it("maps every kind the backend sends, and anything else to unknown", async () => {
    for (const kind of ["not_found", "database_unusable", "busy", "internal", "io"] as const) {
      mockIPC(() => {
        throw { kind, message: `m-${kind}` };
      });
      const e = (await api.getEvent(1).catch((x: unknown) => x)) as AppError;
      expect([e.kind, e.message, e.field]).toEqual([kind, `m-${kind}`, undefined]);
    }
    mockIPC(() => {
      throw { kind: "exploded", message: "?" };
    });
    expect(((await api.getEvent(1).catch((x: unknown) => x)) as AppError).kind).toBe("unknown");
  });

  it("turns a plain string or an Error rejection into an unknown AppError with its text", async () => {
    mockIPC(() => {
      throw "command get_event not allowed";
    });
    const e = (await api.getEvent(1).catch((x: unknown) => x)) as AppError;
    expect([e.kind, e.message]).toEqual(["unknown", "command get_event not allowed"]);
    mockIPC(() => {
      throw new Error("boom");
    });
    const e2 = (await api.getEvent(1).catch((x: unknown) => x)) as AppError;
    expect([e2.kind, e2.message]).toEqual(["unknown", "boom"]);
  });

  it("sends each command its arguments under the camelCase names Tauri expects", async () => {
    const seen: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return cmd === "position_of" ? 3 : {};
    });
    await api.listEvents(filter, 100, 50);
    await api.positionOf(filter, 42);
    await api.updateEvent(7, { title: "t" } as never);
    await api.restoreEvent(9);
    await api.windowEvents({ filter, lo: 0, hi: 10, lanes: "none", max_items: 5, bins: 2 });
    expect(seen).toEqual([
      ["list_events", { filter, offset: 100, limit: 50 }],
      ["position_of", { filter, key: 42 }],
      ["update_event", { id: 7, input: { title: "t" } }],
      ["restore_event", { token: 9 }],
      ["window_events", { query: { filter, lo: 0, hi: 10, lanes: "none", max_items: 5, bins: 2 } }],
    ]);
  });
});
