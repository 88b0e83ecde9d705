// What the UI's unit tests talk to instead of the app: answers recorded from the
// real core, replayed. Nothing here filters, bins, validates or reviews; the
// recordings are written by annals-core's test `recorded` (crates/annals-core/
// tests/it/recorded.rs), which sends these commands, with the arguments the page
// sends, to a real database. A command with no recorded answer is refused and
// remembered (`misses`), so a test that asks something new fails until the
// recording asks it too. Not imported by the app.
import type { Country } from "../bindings/Country";
import type { Mission } from "../bindings/Mission";
import type { ImportOutcome } from "../bindings/ImportOutcome";
import type { AppInfo } from "../bindings/AppInfo";
import type { WriteProtection } from "../bindings/WriteProtection";
// What the real import pipeline answered for a fixture folder (a datelined file,
// an empty one, a corpus with bad lines): written by annals-core's test
// `the_outcome_the_ui_tests_answer_with_is_the_one_the_core_gives`.
import recordedImport from "./recorded/import-outcome.json";

export type WireError = { kind: string; message: string; field?: string | null };

export type Step = { cmd: string; args: Record<string, unknown>; ok?: unknown; err?: WireError; setup?: boolean };

/** Reads of a fresh database (`base`), and scenarios: the changes a test makes
 * from that database, in order, each followed by the reads after it. Its
 * `read_only` is what the core said of the database (`Db::write_protection`). */
export type Recording = {
  schema_version: number;
  read_only: WriteProtection | null;
  base: Step[];
  scenarios: Record<string, Step[]>;
};

/** Commands that change the database: they must come in the recorded order. */
const CHANGES = new Set([
  "create_event", "update_event", "delete_event", "restore_event", "accept_event", "reject_event",
  "reopen_event", "edit_and_accept", "merge_events", "set_publication_date",
  "decide_matching", "decide_events", "reopen_events",
]);

/** JSON with keys sorted and undefined left out: two argument objects the
 * shell would deserialize alike give the same text. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? "null" : canonical(x))).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

const keyOf = (cmd: string, args: unknown) => `${cmd} ${canonical(args ?? {})}`;

export class RecordedBackend {
  /** Every command seen, for tests. */
  readonly calls: Array<{ cmd: string; args: unknown }> = [];
  /** Commands that had no recorded answer. */
  readonly misses: string[] = [];
  /** The answers of the scenario's setup changes, made before the test ran. */
  readonly setupAnswers: unknown[] = [];
  private reads = new Map<string, Step>();
  private readonly pending: Step[];

  constructor(private readonly recording: Recording, scenario?: string) {
    const steps = scenario === undefined ? [] : recording.scenarios[scenario];
    if (!steps) throw new Error(`no recorded scenario ${scenario}`);
    this.pending = [...steps];
    this.absorb(recording.base);
    this.absorbPendingReads();
    while (this.pending[0]?.setup) {
      const change = this.pending.shift()!;
      this.setupAnswers.push(change.ok);
      this.changed(change);
    }
  }

  /** The countries and missions, as recorded. */
  get countries(): Country[] {
    return this.answer("countries", {}) as Country[];
  }
  get missions(): Mission[] {
    return this.answer("missions", {}) as Mission[];
  }

  /** The recorded answer to a read, without counting it as a call. */
  answer(cmd: string, args: Record<string, unknown>): unknown {
    const step = this.reads.get(keyOf(cmd, args));
    if (!step) throw new Error(`no recorded answer for ${keyOf(cmd, args)}`);
    if (step.err) throw step.err;
    return step.ok;
  }

  private absorb(steps: Step[]): void {
    for (const s of steps) this.reads.set(keyOf(s.cmd, s.args), s);
  }

  private absorbPendingReads(): void {
    while (this.pending.length > 0 && !CHANGES.has(this.pending[0]!.cmd)) this.absorb([this.pending.shift()!]);
  }

  /** After a change that succeeded, only the reads recorded after it hold. */
  private changed(change: Step): void {
    if (!change.err) this.reads = new Map();
    this.absorbPendingReads();
  }

  private miss(what: string): Error {
    this.misses.push(what);
    return new Error(`${what}: add it to crates/annals-core/tests/it/recorded.rs and run UPDATE_EXPECT=1 cargo test -p annals-core --test it recorded`);
  }

  /** Answers one command as the app would have. */
  handle(cmd: string, args: Record<string, unknown> = {}): unknown {
    this.calls.push({ cmd, args });
    switch (cmd) {
      // The shell's own commands: no database behind them.
      case "app_info": {
        const info: AppInfo = {
          dbPath: "/home/analyst/.local/share/annals/annals.sqlite3",
          schemaVersion: this.recording.schema_version,
          version: "0.1.0",
          eventCount: 0,
          readOnly: this.recording.read_only,
        };
        return info;
      }
      case "choose_import_files":
        return null;
      case "cancel_import":
        return false;
      case "import_files":
      case "import_text":
        return recordedImport as ImportOutcome;
      // Tauri's event plugin: the page listens for import progress.
      case "plugin:event|listen":
        return this.calls.length;
      case "plugin:event|unlisten":
        return null;
    }
    if (CHANGES.has(cmd)) {
      const next = this.pending[0];
      if (!next || keyOf(next.cmd, next.args) !== keyOf(cmd, args)) {
        throw this.miss(`no recorded change ${keyOf(cmd, args)} (next recorded: ${next ? keyOf(next.cmd, next.args) : "none"})`);
      }
      this.pending.shift();
      this.changed(next);
      if (next.err) throw next.err;
      return next.ok;
    }
    const step = this.reads.get(keyOf(cmd, args));
    if (!step) throw this.miss(`no recorded answer for ${keyOf(cmd, args)}`);
    if (step.err) throw step.err;
    return step.ok;
  }
}
