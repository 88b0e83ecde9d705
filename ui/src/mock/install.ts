// Built by vite.mock.config.ts into scripts/out/mock.js and injected before the
// app loads (ui/scripts/preview-shot.mjs): answers the app's IPC from memory.
//   ?mock=seed (default)  the seed corpus
//   ?mock=dense           100,000 synthetic events (drawn as counts)
//   ?mock=many            2,400 synthetic events (all drawn as items)
//   ?mock=empty           no events
//   ?mock=broken          app_info fails: the database is unusable
import seed from "../../../data/seed/events.json";
import countries from "../../../data/countries.json";
import body from "../../../data/seed/shenyang-consulate-2002.txt?raw";
import { MockBackend } from "./backend";
import { seedDataset, syntheticDataset, type CountriesFile, type SeedFile } from "./data";

const mode = new URLSearchParams(location.search).get("mock") ?? "seed";
const base = seedDataset(seed as unknown as SeedFile, countries as unknown as CountriesFile, body);
const data =
  mode === "dense"
    ? syntheticDataset(base, 100_000)
    : mode === "many"
      ? syntheticDataset(base, 2400)
      : mode === "empty"
        ? { ...base, events: [] }
        : base;
const backend = new MockBackend(data);

let callbackId = 1;
const w = window as unknown as Record<string, unknown>;
w.__TAURI_INTERNALS__ = {
  metadata: { currentWindow: { label: "main" }, currentWebview: { windowLabel: "main", label: "main" } },
  transformCallback: () => callbackId++,
  invoke: async (cmd: string, args: Record<string, unknown>) => {
    if (mode === "broken" && cmd === "app_info") {
      throw {
        kind: "database_unusable",
        message:
          "this database was written by a newer version of Annals (schema 7, this build knows up to 1); update Annals to open it",
      };
    }
    // A little latency, as over real IPC.
    await new Promise((r) => setTimeout(r, 4));
    return structuredClone(backend.handle(cmd, args));
  },
};
w.__annalsMock = backend;
