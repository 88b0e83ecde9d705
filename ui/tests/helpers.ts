import { flushSync, mount, unmount, type Component } from "svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import seed from "../src/mock/recorded/seed.json";
import review from "../src/mock/recorded/review.json";
import readOnly from "../src/mock/recorded/read-only.json";
import { RecordedBackend, type Recording } from "../src/mock/backend";

type Recorded = "seed" | "review" | "read-only";
const recordings = { seed, review, "read-only": readOnly } as unknown as Record<Recorded, Recording>;
const live: RecordedBackend[] = [];

/** A backend answering the app's IPC with what the core answered: over the
 * seeded database (`seed`), the seed article imported (`review`), or that in a
 * write-protected file (`read-only`), from its start or along one recorded
 * scenario. */
export function recordedBackend(name: Recorded, scenario?: string): RecordedBackend {
  const backend = new RecordedBackend(recordings[name], scenario);
  mockIPC((cmd, args) => backend.handle(cmd, args as Record<string, unknown>));
  live.push(backend);
  return backend;
}

export const seedBackend = (scenario?: string) => recordedBackend("seed", scenario);

/** The commands tests sent that no recording answers (checked after each test). */
export function unrecorded(): string[] {
  const misses = live.flatMap((b) => b.misses);
  live.length = 0;
  return misses;
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
