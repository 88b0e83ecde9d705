// Labels as the core gives them (EventKind::label, Status::label) and a colour per kind.
import type { EventKind } from "../bindings/EventKind";
import type { Status } from "../bindings/Status";
import type { LaneMode } from "../bindings/LaneMode";

export const KIND_LABELS: Record<EventKind, string> = {
  entry: "Entry into a mission",
  removal: "Removal",
  arrest: "Arrest or detention",
  repatriation: "Repatriation",
  departure: "Departure or asylum granted",
  protest: "Diplomatic protest",
  statement: "Statement or appeal",
  meeting: "Meeting or visit",
  security: "Security measure",
  treaty: "Treaty or law",
  conflict: "War or conflict",
  other: "Other",
};

export const KINDS = Object.keys(KIND_LABELS) as EventKind[];

export const STATUS_LABELS: Record<Status, string> = {
  proposed: "Proposed",
  accepted: "Accepted",
  rejected: "Rejected",
};
export const STATUSES = Object.keys(STATUS_LABELS) as Status[];

export const LANE_LABELS: Record<LaneMode, string> = {
  none: "No lanes",
  country: "By country",
  mission: "By mission",
  kind: "By kind",
};

/** One hue per kind, tuned for a light and a dark background. */
export const KIND_COLORS: Record<EventKind, { light: string; dark: string }> = {
  entry: { light: "#2563c9", dark: "#6ea2ff" },
  removal: { light: "#c8323c", dark: "#ff7b83" },
  arrest: { light: "#d5621c", dark: "#ff9a57" },
  repatriation: { light: "#8246c9", dark: "#b98cff" },
  departure: { light: "#0f8a7e", dark: "#4fd1c0" },
  protest: { light: "#b27c00", dark: "#f0bd3c" },
  statement: { light: "#4767a6", dark: "#93aee6" },
  meeting: { light: "#2e8a3e", dark: "#6fd07f" },
  security: { light: "#8a5a33", dark: "#d1a27a" },
  treaty: { light: "#3f48b8", dark: "#8f97ff" },
  conflict: { light: "#8f2f4f", dark: "#e27aa0" },
  other: { light: "#6b7280", dark: "#a3a9b4" },
};

export function kindColor(kind: EventKind, dark: boolean): string {
  const c = KIND_COLORS[kind] ?? KIND_COLORS.other;
  return dark ? c.dark : c.light;
}

export function isKind(s: string): s is EventKind {
  return s in KIND_LABELS;
}
