// What the filter panel holds, how it becomes the EventFilter the core reads, and
// the chips that show it.
import type { EventFilter } from "../bindings/EventFilter";
import type { EventKind } from "../bindings/EventKind";
import type { Status } from "../bindings/Status";
import { formatPartialDate, hiOf, loOf, parsePartialDate } from "./date";

export type FilterState = {
  countries: string[];
  missions: number[];
  kinds: EventKind[];
  statuses: Status[];
  /** Partial dates as typed: "2002", "2002-05". */
  from: string;
  to: string;
  text: string;
};

export const emptyFilter = (): FilterState => ({
  countries: [],
  missions: [],
  kinds: [],
  statuses: [],
  from: "",
  to: "",
  text: "",
});

/** Rejected events stay out of sight unless someone asks for them by status;
 * proposed ones show unless the user hides them (View > Show Proposed Events). */
export const DEFAULT_STATUSES: Status[] = ["proposed", "accepted"];

export type RangeErrors = { from?: string; to?: string };

export function dateRangeErrors(from: string, to: string): RangeErrors {
  const errors: RangeErrors = {};
  const f = from.trim() === "" ? null : parsePartialDate(from);
  const t = to.trim() === "" ? null : parsePartialDate(to);
  if (f && !f.ok) errors.from = f.reason;
  if (t && !t.ok) errors.to = t.reason;
  if (f?.ok && t?.ok && hiOf(t.value) <= loOf(f.value)) errors.to = "the end of the date range is before its start";
  return errors;
}

/** The filter to send: trimmed text, valid dates only, default statuses (without
 * the proposed ones when `showProposed` is off). */
export function toEventFilter(f: FilterState, showProposed = true): EventFilter {
  const errors = dateRangeErrors(f.from, f.to);
  const date = (text: string, bad: string | undefined) => {
    if (bad !== undefined || text.trim() === "") return null;
    const p = parsePartialDate(text);
    return p.ok ? formatPartialDate(p.value) : null;
  };
  const text = f.text.trim();
  return {
    countries: [...f.countries],
    missions: [...f.missions],
    kinds: [...f.kinds],
    statuses:
      f.statuses.length > 0
        ? [...f.statuses]
        : DEFAULT_STATUSES.filter((s) => showProposed || s !== "proposed"),
    from: date(f.from, errors.from),
    // A range that ends before it starts would be refused: leave its end out.
    to: date(f.to, errors.to),
    text: text === "" ? null : text,
  };
}

export function isFilterActive(f: FilterState): boolean {
  return (
    f.countries.length + f.missions.length + f.kinds.length + f.statuses.length > 0 ||
    f.from.trim() !== "" ||
    f.to.trim() !== "" ||
    f.text.trim() !== ""
  );
}

export type Names = {
  country: (code: string) => string;
  mission: (id: number) => string;
  kind: (kind: EventKind) => string;
  status: (status: Status) => string;
};

export type Chip = {
  id: string;
  /** What the chip says: "Japan". */
  label: string;
  /** Which filter it belongs to: "Country". */
  facet: string;
  /** The filter without this chip. */
  without: FilterState;
};

export function filterChips(f: FilterState, names: Names): Chip[] {
  const chips: Chip[] = [];
  for (const c of f.countries)
    chips.push({ id: `country:${c}`, facet: "Country", label: names.country(c), without: { ...f, countries: f.countries.filter((x) => x !== c) } });
  for (const m of f.missions)
    chips.push({ id: `mission:${m}`, facet: "Mission", label: names.mission(m), without: { ...f, missions: f.missions.filter((x) => x !== m) } });
  for (const k of f.kinds)
    chips.push({ id: `kind:${k}`, facet: "Kind", label: names.kind(k), without: { ...f, kinds: f.kinds.filter((x) => x !== k) } });
  for (const s of f.statuses)
    chips.push({ id: `status:${s}`, facet: "Status", label: names.status(s), without: { ...f, statuses: f.statuses.filter((x) => x !== s) } });
  if (f.from.trim() !== "") chips.push({ id: "from", facet: "From", label: f.from.trim(), without: { ...f, from: "" } });
  if (f.to.trim() !== "") chips.push({ id: "to", facet: "To", label: f.to.trim(), without: { ...f, to: "" } });
  if (f.text.trim() !== "") chips.push({ id: "text", facet: "Text", label: `“${f.text.trim()}”`, without: { ...f, text: "" } });
  return chips;
}
