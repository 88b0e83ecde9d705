import { afterEach, describe, expect, it } from "vitest";
import ReviewView from "../src/components/ReviewView.svelte";
import Toasts from "../src/components/Toasts.svelte";
import { app } from "../src/state.svelte";
import { clearMocks, key, recordedBackend, render, settle } from "./helpers";
import type { RecordedBackend } from "../src/mock/backend";
import type { ReviewItem } from "../src/bindings/ReviewItem";

// The seed article imported as a user would: its proposals and confidences are
// the extractor's, recorded from the core with each scenario's decisions.
let backend: RecordedBackend;
const views: Array<ReturnType<typeof render>> = [];

async function open(scenario?: string): Promise<void> {
  backend = recordedBackend("review", scenario);
  app.countries = backend.countries;
  app.missions = backend.missions;
  app.setView("review", null);
  app.reviewNarrow = { kinds: [], countries: [], band: "any" };
  app.toasts = [];
  views.push(render(ReviewView, {}));
  views.push(render(Toasts, {}));
  await settle();
}
afterEach(() => {
  while (views.length) views.pop()!.destroy();
  app.setView("timeline", null);
  clearMocks();
});

const cards = () => [...document.querySelectorAll<HTMLElement>("[data-testid=review-item]")];
const titles = () => cards().map((c) => c.querySelector("[data-testid=review-title]")?.textContent);
// The queue's filter as the page sends it: all articles, narrowed to `kinds`.
const filter = (kinds: string[] = [], min: number | null = null) => ({
  article_id: null, kinds, countries: [], min_confidence: min, below_confidence: null,
});
const queue = (kinds: string[] = []) => backend.answer("review_items", { filter: filter(kinds), limit: 100 }) as ReviewItem[];
const above = (min: number) => backend.answer("count_matching", { filter: filter([], min) }) as number;
const bulk = () => document.querySelector<HTMLButtonElement>("[data-testid=review-accept-above]")!;
const threshold = async (percent: number) => {
  const range = document.querySelector<HTMLInputElement>("[data-testid=review-threshold]")!;
  range.value = String(percent);
  range.dispatchEvent(new Event("input", { bubbles: true }));
  await settle();
};
const changes = () => backend.calls.filter((c) => c.cmd.endsWith("_event") || c.cmd.startsWith("decide_") || c.cmd === "reopen_events");
const cardIds = () => cards().map((c) => Number(c.dataset.eventId));
const undo = async () => {
  document.querySelector<HTMLButtonElement>("[data-testid=undo]")!.click();
  await settle();
};

describe("review view", () => {
  it("lists proposals surest first with their confidence", async () => {
    await open();
    const items = queue();
    expect(items.length).toBeGreaterThan(10);
    expect(cards().map((c) => Number(c.dataset.eventId))).toEqual(items.map((i) => i.event.id));
    const shown = cards().map((c) => Number(/(\d+)%/.exec(c.textContent ?? "")?.[1]));
    expect(shown).toEqual(items.map((i) => Math.round((i.event.confidence ?? 0) * 100)));
    expect([...shown].sort((a, b) => b - a)).toEqual(shown);
    expect(bulk().textContent).toContain(`Accept ${above(0.8)}`);
  });

  it("accepts with the A key and moves focus to the next card", async () => {
    await open("accept-first");
    const [first, second] = [cards()[0]!, titles()[1]];
    first.focus();
    key(first, "a");
    await settle();
    expect(changes()).toEqual([{ cmd: "accept_event", args: { id: Number(first.dataset.eventId) } }]);
    expect(cards()).toHaveLength(queue().length);
    expect(titles()).not.toContain(first.querySelector("[data-testid=review-title]")?.textContent);
    expect(document.activeElement?.querySelector("[data-testid=review-title]")?.textContent).toBe(second);
  });

  it("rejects with R and counts the bulk accept from the backend as the threshold moves", async () => {
    await open("reject-then-accept-above");
    const fifth = cards()[4]!;
    key(fifth, "r");
    await settle();
    expect(changes()).toEqual([{ cmd: "reject_event", args: { id: Number(fifth.dataset.eventId) } }]);
    expect(cards().map((c) => c.dataset.eventId)).not.toContain(fifth.dataset.eventId);
    await threshold(50);
    expect(bulk().textContent).toContain(`Accept ${above(0.5)}`);
    bulk().click();
    await settle();
    expect(changes().at(-1)).toEqual({ cmd: "decide_matching", args: { filter: filter([], 0.5), decision: "accept" } });
    // What is left is what the core left: every card below 50%.
    expect(cards().map((c) => Number(c.dataset.eventId))).toEqual(queue().map((i) => i.event.id));
    expect(queue().every((i) => (i.event.confidence ?? 0) < 0.5)).toBe(true);
  });
});

describe("deciding many at once", () => {
  it("accepts everything at 20%+ in one go, and one Undo brings it all back", async () => {
    await open("accept-many-undo");
    const before = cardIds();
    await threshold(20);
    const count = above(0.2);
    expect(count).toBeGreaterThan(10);
    bulk().click();
    await settle();
    expect(changes()).toEqual([{ cmd: "decide_matching", args: { filter: filter([], 0.2), decision: "accept" } }]);
    expect(cardIds()).toEqual(queue().map((i) => i.event.id));
    expect(queue().every((i) => (i.event.confidence ?? 0) < 0.2)).toBe(true);
    expect(document.querySelector("[data-testid=toast]")?.textContent).toContain(`Accepted ${count} proposals`);
    await undo();
    const accepted = backend.calls.find((c) => c.cmd === "decide_matching");
    expect(changes().at(-1)?.cmd).toBe("reopen_events");
    expect(accepted).toBeDefined();
    expect(cardIds()).toEqual(before);
  });

  it("narrows to a kind, rejects two chosen cards together, and undoes it", async () => {
    await open("narrow-reject-chosen-undo");
    const kinds = document.querySelector<HTMLSelectElement>("[data-testid=review-kind]")!;
    const commonest = kinds.options[1]!;
    expect(commonest.textContent).toMatch(/\(\d+\)$/);
    kinds.value = commonest.value;
    kinds.dispatchEvent(new Event("change", { bubbles: true }));
    await settle();
    const narrowed = queue([commonest.value]);
    expect(cardIds()).toEqual(narrowed.map((i) => i.event.id));
    expect(narrowed.every((i) => i.event.kind === commonest.value)).toBe(true);
    expect(document.querySelector("[data-testid=review-matching]")?.textContent).toContain(`${narrowed.length}`);
    // Two cards chosen, one by its box and one with the X key.
    const boxes = () => [...document.querySelectorAll<HTMLInputElement>("[data-testid=review-select]")];
    boxes()[0]!.click();
    key(cards()[2]!, "x");
    await settle();
    expect(document.querySelector("[data-testid=review-chosen]")?.textContent).toBe("2 chosen");
    const [first, third] = [cardIds()[0]!, cardIds()[2]!];
    document.querySelector<HTMLButtonElement>("[data-testid=review-reject-chosen]")!.click();
    await settle();
    expect(changes()).toEqual([{ cmd: "decide_events", args: { ids: [first, third], decision: "reject" } }]);
    expect(cardIds()).not.toContain(first);
    expect(cardIds()).not.toContain(third);
    expect(document.querySelector("[data-testid=review-selection]")).toBeNull();
    await undo();
    expect(changes().at(-1)?.cmd).toBe("reopen_events");
    expect(cardIds()).toEqual(narrowed.map((i) => i.event.id));
  });
});
