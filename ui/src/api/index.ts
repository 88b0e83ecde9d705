// The only module that talks to Tauri. Every function is typed over the bindings
// generated from Rust and rejects only with AppError.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { Article } from "../bindings/Article";
import type { Country } from "../bindings/Country";
import type { Event } from "../bindings/Event";
import type { EventFilter } from "../bindings/EventFilter";
import type { EventInput } from "../bindings/EventInput";
import type { Facets } from "../bindings/Facets";
import type { ListPage } from "../bindings/ListPage";
import type { Mission } from "../bindings/Mission";
import type { WindowQuery } from "../bindings/WindowQuery";
import type { WindowResult } from "../bindings/WindowResult";
import { AppError } from "./error";

export { AppError } from "./error";
export type { ErrorKind } from "./error";

/** What `app_info` reports about the running app and its database. */
export type AppInfo = {
  dbPath: string;
  schemaVersion: number;
  version: string;
  eventCount: number;
};

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw AppError.from(e);
  }
}

export const appInfo = () => call<AppInfo>("app_info");
export const windowEvents = (query: WindowQuery) => call<WindowResult>("window_events", { query });
export const facets = (filter: EventFilter) => call<Facets>("facets", { filter });
export const listEvents = (filter: EventFilter, offset: number, limit: number) =>
  call<ListPage>("list_events", { filter, offset, limit });
export const positionOf = (filter: EventFilter, key: number) => call<number>("position_of", { filter, key });
export const getEvent = (id: number) => call<Event>("get_event", { id });
export const createEvent = (input: EventInput) => call<Event>("create_event", { input });
export const updateEvent = (id: number, input: EventInput) => call<Event>("update_event", { id, input });
export const deleteEvent = (id: number) => call<number>("delete_event", { id });
export const restoreEvent = (token: number) => call<Event>("restore_event", { token });
export const countries = () => call<Country[]>("countries");
export const missions = () => call<Mission[]>("missions");
export const getArticle = (id: number) => call<Article>("get_article", { id });

/** Native menu actions ("new-event", "zoom-in", ...), sent by the shell. Resolves
 * to a function that stops listening. */
export async function onMenu(handler: (action: string) => void): Promise<() => void> {
  try {
    return await listen<string>("menu", (e) => handler(e.payload));
  } catch (e) {
    throw AppError.from(e);
  }
}
