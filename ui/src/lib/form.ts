// The add/edit form's values, its inline checks (the core's rules, so nothing
// invalid is ever sent), and how server errors map back onto its fields.
import type { Event } from "../bindings/Event";
import type { EventInput } from "../bindings/EventInput";
import type { EventKind } from "../bindings/EventKind";
import type { AppError } from "../api";
import { checkEventDate, formatPartialDate, humanEventDate, parsePartialDate } from "./date";

export const MAX_TITLE_CHARS = 300;
export const MAX_SUMMARY_CHARS = 20000;

export type FormValues = {
  title: string;
  kind: EventKind;
  start: string;
  end: string;
  approximate: boolean;
  city: string;
  /** Alpha-2 of where it happened, "" for none. */
  country: string;
  /** Mission id as text, "" for none. */
  mission: string;
  countries: string[];
  summary: string;
  background: boolean;
  planned: boolean;
};

export type FormField = "title" | "kind" | "start" | "end" | "city" | "country" | "mission" | "countries" | "summary";
export type FormErrors = Partial<Record<FormField | "form", string>>;

export function emptyValues(): FormValues {
  return {
    title: "",
    kind: "other",
    start: "",
    end: "",
    approximate: false,
    city: "",
    country: "",
    mission: "",
    countries: [],
    summary: "",
    background: false,
    planned: false,
  };
}

export function valuesFromEvent(ev: Event): FormValues {
  return {
    title: ev.title,
    kind: ev.kind,
    start: ev.date.start,
    end: ev.date.end ?? "",
    approximate: ev.date.approximate,
    city: ev.city ?? "",
    country: ev.country ?? "",
    mission: ev.mission_id === null ? "" : String(ev.mission_id),
    countries: [...ev.countries],
    summary: ev.summary,
    background: ev.background,
    planned: ev.planned,
  };
}

const chars = (s: string) => [...s].length;

export function validateForm(v: FormValues): FormErrors {
  const errors: FormErrors = {};
  const title = v.title.trim();
  if (title === "") errors.title = "A title is required";
  else if (chars(title) > MAX_TITLE_CHARS) errors.title = `At most ${MAX_TITLE_CHARS} characters (now ${chars(title)})`;
  if (chars(v.summary) > MAX_SUMMARY_CHARS) errors.summary = `At most ${MAX_SUMMARY_CHARS} characters`;
  if (v.start.trim() === "") errors.start = "A start date is required, e.g. 2002-05-08";
  const d = checkEventDate(v.start, v.end);
  if (d.errors.start && !errors.start) errors.start = capitalize(d.errors.start);
  if (d.errors.end) errors.end = capitalize(d.errors.end);
  if (v.country !== "" && !/^[A-Za-z]{2}$/.test(v.country)) errors.country = "Choose a country from the list";
  return errors;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** How the dates will read, when they are valid: "8–9 May 2002". */
export function datePreview(v: Pick<FormValues, "start" | "end" | "approximate">): string | null {
  const d = checkEventDate(v.start, v.end);
  if (!("start" in d)) return null;
  return humanEventDate(d.start, d.end, v.approximate);
}

/** The input to send; call only when validateForm found nothing. */
export function toEventInput(v: FormValues): EventInput {
  const norm = (s: string) => {
    const p = parsePartialDate(s);
    return p.ok ? formatPartialDate(p.value) : s.trim();
  };
  return {
    title: v.title.trim(),
    summary: v.summary.trim(),
    kind: v.kind,
    date: { start: norm(v.start), end: v.end.trim() === "" ? null : norm(v.end), approximate: v.approximate },
    city: v.city.trim() === "" ? null : v.city.trim(),
    country: v.country === "" ? null : v.country.toUpperCase(),
    mission_id: v.mission === "" ? null : Number(v.mission),
    countries: [...new Set(v.countries.map((c) => c.toUpperCase()))].sort(),
    background: v.background,
    planned: v.planned,
  };
}

/** Which field a server `invalid` error belongs to. */
export function fieldOfServerError(err: AppError): FormField | "form" {
  switch (err.field) {
    case "title":
    case "summary":
    case "countries":
    case "country":
    case "mission":
    case "kind":
    case "city":
      return err.field;
    case "date":
      return /\bend\b/i.test(err.message) ? "end" : "start";
    case "start":
    case "end":
      return err.field;
    default:
      return "form";
  }
}
