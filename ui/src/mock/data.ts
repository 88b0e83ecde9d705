// Datasets for the mock backend: the real seed (data/seed/events.json, shaped as
// the core would serve it) and a large synthetic one for dense rendering.
import type { Article } from "../bindings/Article";
import type { Country } from "../bindings/Country";
import type { Event } from "../bindings/Event";
import type { EventKind } from "../bindings/EventKind";
import type { Mission } from "../bindings/Mission";
import type { MissionKind } from "../bindings/MissionKind";
import { humanEventDate, humanPartialDate, parsePartialDate } from "../lib/date";
import { KINDS } from "../lib/kinds";
import { keyToIso } from "../lib/time";
import { spanOf, type Dataset } from "./backend";

export type SeedFile = {
  article: {
    title: string; byline?: string | null; source?: string | null; dateline?: string | null;
    published_printed?: string | null; published: string | null; published_note?: string | null;
  };
  missions: Record<string, { kind: MissionKind; sending: string; host: string; city: string }>;
  events: Array<{
    title: string; kind: EventKind; date: string; summary: string; city: string | null; country: string | null;
    mission: string | null; countries: string[]; quote: string; date_text: string | null; anchor: string | null; background?: boolean;
  }>;
};
export type CountriesFile = { countries: Array<{ code: string; name: string; demonyms: string[] }> };

const MISSION_LABELS: Record<MissionKind, string> = { embassy: "Embassy", consulate: "Consulate", consulate_general: "Consulate-General", mission: "Mission" };

function parseEventDate(text: string): Event["date"] {
  const approximate = text.endsWith("~");
  const s = approximate ? text.slice(0, -1) : text;
  const [start, end] = s.split("/");
  return { start: start ?? s, end: end ?? null, approximate };
}

function dateText(d: Event["date"]): string {
  const s = parsePartialDate(d.start);
  const e = d.end ? parsePartialDate(d.end) : null;
  if (!s.ok) return d.start;
  return humanEventDate(s.value, e && e.ok ? e.value : null, d.approximate);
}

export function seedDataset(seed: SeedFile, countriesFile: CountriesFile, body = ""): Dataset {
  const countries: Country[] = countriesFile.countries.map((c) => ({ code: c.code, name: c.name, demonyms: c.demonyms }));
  const byCode = new Map(countries.map((c) => [c.code, c]));
  const missionIds = new Map<string, number>();
  const missions: Mission[] = Object.entries(seed.missions).map(([key, m], i) => {
    missionIds.set(key, i + 1);
    const demonym = byCode.get(m.sending)?.demonyms[0] ?? m.sending;
    return { id: i + 1, kind: m.kind, sending_country: m.sending, host_country: m.host, city: m.city, name: `${demonym} ${MISSION_LABELS[m.kind]}, ${m.city}` };
  });
  const published = seed.article.published ? parsePartialDate(seed.article.published) : null;
  const articleDate = published && published.ok ? humanPartialDate(published.value) : null;
  const article: Article = {
    id: 1, title: seed.article.title, byline: seed.article.byline ?? null, source: seed.article.source ?? null,
    dateline: seed.article.dateline ?? null, published_printed: seed.article.published_printed ?? null,
    published: seed.article.published, published_note: seed.article.published_note ?? null, body,
    content_hash: "", imported_at: "2024-01-01T00:00:00Z",
  };
  // Offsets in Unicode characters, as the core counts them.
  const span = (quote: string): [number, number] => {
    const at = body.indexOf(quote);
    if (at < 0) return [0, 0];
    const start = Array.from(body.slice(0, at)).length;
    return [start, start + Array.from(quote).length];
  };
  const events: Event[] = seed.events.map((e, i) => {
    const date = parseEventDate(e.date);
    const [sentence_start, sentence_end] = span(e.quote);
    const mid = e.mission ? (missionIds.get(e.mission) ?? null) : null;
    return {
      id: i + 1,
      title: e.title,
      summary: e.summary,
      kind: e.kind,
      date,
      date_text: dateText(date),
      precision: spanOf({ date }).precision,
      city: e.city,
      country: e.country,
      mission_id: mid,
      mission_name: missions.find((m) => m.id === mid)?.name ?? null,
      countries: [...e.countries].sort(),
      status: "accepted",
      origin: "curated",
      confidence: null,
      background: e.background ?? false,
      planned: false,
      sources: [
        { article_id: 1, article_title: seed.article.title, article_date: articleDate, sentence_start, sentence_end, quote: e.quote, date_text: e.date_text, date_anchor: e.anchor, timex_index: null, trigger: null },
      ],
      created_at: "2024-01-01T00:00:00Z",
      updated_at: "2024-01-01T00:00:00Z",
      review_note: null,
    };
  });
  return { countries, missions, events, articles: [article] };
}

/** A deterministic pseudo-random generator, so screenshots are repeatable. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** `n` events over 1990–2010, clustered into bursts, with a few proposed ones. */
export function syntheticDataset(base: Dataset, n: number): Dataset {
  const r = rng(42);
  const lo = Date.UTC(1990, 0, 1) / 60000;
  const hi = Date.UTC(2010, 0, 1) / 60000;
  const bursts = Array.from({ length: 40 }, () => lo + r() * (hi - lo));
  const codes = ["CN", "KP", "KR", "JP", "US", "DE", "ES", "RU", "MN", "TH"];
  const words = ["Entry", "Arrest", "Statement", "Protest", "Meeting", "Repatriation", "Crackdown", "Visit", "Appeal", "Talks"];
  const events: Event[] = [];
  for (let i = 0; i < n; i++) {
    const centre = bursts[Math.floor(r() * bursts.length)]!;
    const key = Math.floor(r() < 0.7 ? centre + (r() - 0.5) * 2 * 60 * 24 * 90 * r() : lo + r() * (hi - lo));
    const start = keyToIso(key);
    const ranged = r() < 0.1;
    const date = { start, end: ranged ? keyToIso(key + Math.floor(r() * 60 * 24 * 40) + 1440) : null, approximate: r() < 0.08 };
    const kind = KINDS[Math.floor(r() * KINDS.length)]!;
    const cs = [...new Set([codes[Math.floor(r() * codes.length)]!, codes[Math.floor(r() * codes.length)]!])].sort();
    const mission = r() < 0.3 ? base.missions[Math.floor(r() * base.missions.length)]! : null;
    events.push({
      id: i + 1,
      title: `${words[Math.floor(r() * words.length)]} #${i + 1}`,
      summary: "",
      kind,
      date,
      date_text: dateText(date),
      precision: spanOf({ date }).precision,
      city: null,
      country: cs[0] ?? null,
      mission_id: mission?.id ?? null,
      mission_name: mission?.name ?? null,
      countries: cs,
      status: r() < 0.05 ? "proposed" : "accepted",
      origin: "extracted",
      confidence: 0.8,
      background: false,
      planned: false,
      sources: [],
      created_at: "2024-01-01T00:00:00Z",
      updated_at: "2024-01-01T00:00:00Z",
      review_note: null,
    });
  }
  return { countries: base.countries, missions: base.missions, events, articles: [] };
}
