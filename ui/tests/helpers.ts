import { flushSync, mount, unmount, type Component } from "svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import seed from "../../data/seed/events.json";
import countries from "../../data/countries.json";
import body from "../../data/seed/shenyang-consulate-2002.txt?raw";
import { MockBackend } from "../src/mock/backend";
import { seedDataset, type CountriesFile, type SeedFile } from "../src/mock/data";

/** A backend over the real seed data, answering the app's IPC. */
export function seedBackend(): MockBackend {
  const backend = new MockBackend(seedDataset(seed as unknown as SeedFile, countries as unknown as CountriesFile, body));
  mockIPC((cmd, args) => backend.handle(cmd, args as Record<string, unknown>));
  return backend;
}

export { clearMocks };

/** Lets pending promises and effects run. */
export async function settle(ms = 15): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, ms));
    flushSync();
  }
}

export function render<P extends Record<string, unknown>>(component: Component<P>, props: P) {
  const target = document.createElement("div");
  document.body.appendChild(target);
  const instance = mount(component, { target, props });
  flushSync();
  return {
    target,
    destroy() {
      void unmount(instance);
      target.remove();
    },
  };
}

export function key(el: Element, k: string, init: KeyboardEventInit = {}): void {
  el.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true, ...init }));
  flushSync();
}
