import { afterEach, beforeEach, describe, expect, it } from "vitest";
import EventForm from "../src/components/EventForm.svelte";
import { app } from "../src/state.svelte";
import { AppError } from "../src/api";
import { emptyValues, fieldOfServerError, toEventInput, validateForm } from "../src/lib/form";
import { clearMocks, render, seedBackend, settle } from "./helpers";
import type { RecordedBackend } from "../src/mock/backend";
import seedRecording from "../src/mock/recorded/seed.json";

function type(form: HTMLFormElement, name: string, value: string): void {
  const el = form.querySelector<HTMLInputElement>(`[name=${name}]`)!;
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
  el.dispatchEvent(new Event("blur"));
}
function submit(form: HTMLFormElement): void {
  form.dispatchEvent(new SubmitEvent("submit", { bubbles: true, cancelable: true }));
}
const q = (sel: string) => document.querySelector(sel);

describe("event form checks", () => {
  it("require a title and a start date, and say what is wrong with a date", () => {
    expect(validateForm(emptyValues())).toEqual({ title: "A title is required", start: "A start date is required, e.g. 2002-05-08" });
    expect(validateForm({ ...emptyValues(), title: "x", start: "2002-02-30" })).toEqual({ start: "February 2002 has 28 days" });
    expect(validateForm({ ...emptyValues(), title: "x", start: "2002-05-09", end: "2002-05-08" })).toEqual({ end: "The end is before the start" });
    expect(validateForm({ ...emptyValues(), title: "x".repeat(301), start: "2002" }).title).toMatch(/At most 300/);
  });

  it("send a tidy input: trimmed text, canonical dates, upper-case unique codes, null for empty", () => {
    const input = toEventInput({ ...emptyValues(), title: "  Entry ", start: "2002-5-8", end: "", city: " ", mission: "3", countries: ["kp", "JP", "KP"] });
    expect(input).toEqual({
      title: "Entry", summary: "", kind: "other", date: { start: "2002-05-08", end: null, approximate: false },
      city: null, country: null, mission_id: 3, countries: ["JP", "KP"], background: false, planned: false,
    });
  });

  it("put every refusal the core recorded on a field of the form", () => {
    const refusals = seedRecording.scenarios["form-refused"];
    expect(refusals.length).toBeGreaterThan(2);
    for (const step of refusals) {
      const err = step.err!;
      expect(fieldOfServerError(new AppError(err.kind as "invalid", err.message, err.field)), err.message).not.toBe("form");
    }
  });

  it("put a server's invalid error on the field it names", () => {
    expect(fieldOfServerError(new AppError("invalid", "a title is required", "title"))).toBe("title");
    expect(fieldOfServerError(new AppError("invalid", "invalid date `2002/2001`: the end is before the start", "date"))).toBe("end");
    expect(fieldOfServerError(new AppError("invalid", "invalid date `2002-02-30`: February 2002 has 28 days", "date"))).toBe("start");
    expect(fieldOfServerError(new AppError("invalid", "`XX` is not a two-letter country code", "countries"))).toBe("countries");
    expect(fieldOfServerError(new AppError("invalid", "odd", "window"))).toBe("form");
  });
});

describe("event form", () => {
  let backend: RecordedBackend;
  let view: ReturnType<typeof render>;
  beforeEach(async () => {
    // The seeded database, where the one change recorded is saving "Meeting in Seoul".
    backend = seedBackend("form-create");
    app.countries = backend.countries;
    app.missions = backend.missions;
    app.editing = { event: null };
    view = render(EventForm, { event: null });
    await settle();
  });
  afterEach(() => {
    view.destroy();
    app.editing = undefined;
    clearMocks();
  });

  it("shows inline errors for an empty title and an impossible date, and saves nothing", async () => {
    const form = q("form[data-testid=event-form]") as HTMLFormElement;
    type(form, "start", "2002-02-30");
    submit(form);
    await settle();
    expect(q("[data-testid=error-title]")?.textContent).toBe("A title is required");
    expect(q("[data-testid=error-start]")?.textContent).toBe("February 2002 has 28 days");
    expect(q("[data-testid=error-end]")).toBeNull();
    expect(backend.calls.filter((c) => c.cmd === "create_event")).toEqual([]);
    expect(app.editing).toEqual({ event: null });
  });

  it("shows an end before the start on blur, next to the end field", async () => {
    const form = q("form[data-testid=event-form]") as HTMLFormElement;
    type(form, "start", "2002-05-10");
    type(form, "end", "2002-05-08");
    await settle();
    expect(q("[data-testid=error-end]")?.textContent).toBe("The end is before the start");
    expect(q("[data-testid=error-title]")).toBeNull();
    expect(form.querySelector("[name=end]")?.getAttribute("aria-invalid")).toBe("true");
  });

  it("saves a valid event once, with the countries ticked, and closes", async () => {
    const form = q("form[data-testid=event-form]") as HTMLFormElement;
    type(form, "title", "Meeting in Seoul");
    type(form, "start", "2002-05-11");
    const jp = q("input[data-testid=form-country-JP]") as HTMLInputElement;
    jp.checked = true;
    jp.dispatchEvent(new Event("change", { bubbles: true }));
    expect(document.querySelectorAll("input[type=checkbox][data-testid^=form-country-]").length).toBe(backend.countries.length);
    submit(form);
    await settle();
    const creates = backend.calls.filter((c) => c.cmd === "create_event");
    expect(creates).toHaveLength(1);
    expect(creates[0]!.args).toMatchObject({ input: { title: "Meeting in Seoul", countries: ["JP"], date: { start: "2002-05-11", end: null } } });
    expect(app.editing).toBeUndefined();
    expect(app.selected?.title).toBe("Meeting in Seoul");
  });
});
