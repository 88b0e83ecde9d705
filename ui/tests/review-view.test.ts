import { afterEach, describe, expect, it } from "vitest";
import ReviewView from "../src/components/ReviewView.svelte";
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
  views.push(render(ReviewView, {}));
  await settle();
}
afterEach(() => {
  while (views.length) views.pop()!.destroy();
  app.setView("timeline", null);
  clearMocks();
});

const cards = () => [...document.querySelectorAll<HTMLElement>("[data-testid=review-item]")];
const titles = () => cards().map((c) => c.querySelector("[data-testid=review-title]")?.textContent);
const queue = () => backend.answer("review_items", { articleId: null, limit: 100 }) as ReviewItem[];
const above = (min: number) => backend.answer("count_above", { articleId: null, minConfidence: min }) as number;
const bulk = () => document.querySelector<HTMLButtonElement>("[data-testid=review-accept-above]")!;
const threshold = async (percent: number) => {
  const range = document.querySelector<HTMLInputElement>("[data-testid=review-threshold]")!;
  range.value = String(percent);
  range.dispatchEvent(new Event("input", { bubbles: true }));
  await settle();
};
const changes = () => backend.calls.filter((c) => c.cmd.endsWith("_event") || c.cmd === "accept_above");

describe("review view", () => {
  it("lists proposals surest first with their confidence", async () => {
    await open();
    const items = queue();
    expect(items.length).toBeGreaterThan(10);
    expect(cards().map((c) => Number(c.dataset.eventId))).toEqual(items.map((i) => i.event.id));
    const shown = cards().map((c) => Number(/(\d+)%/.exec(c.textContent ?? "")?.[1]));
    expect(shown).toEqual(items.map((i) => Math.round((i.event.confidence ?? 0) * 100)));
    expect([...shown].sort((a, b) => b - a)).toEqual(shown);
    expect(bulk().textContent).toContain(`Accept ${above(0.9)}`);
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
    await threshold(70);
    expect(bulk().textContent).toContain(`Accept ${above(0.7)}`);
    bulk().click();
    await settle();
    expect(changes().at(-1)).toEqual({ cmd: "accept_above", args: { articleId: null, minConfidence: 0.7 } });
    // What is left is what the core left: every card below 70%.
    expect(cards().map((c) => Number(c.dataset.eventId))).toEqual(queue().map((i) => i.event.id));
    expect(queue().every((i) => (i.event.confidence ?? 0) < 0.7)).toBe(true);
  });
});

describe("bulk accept of many", () => {
  it("asks once more before accepting more than ten", async () => {
    await open("accept-many");
    await threshold(50);
    const count = above(0.5);
    expect(count).toBeGreaterThan(10);
    expect(bulk().textContent).toContain(`Accept ${count}`);
    bulk().click();
    await settle();
    expect(changes()).toEqual([]);
    const confirm = document.querySelector<HTMLButtonElement>("[data-testid=review-accept-above-confirm]")!;
    expect(confirm.textContent).toContain(`Accept ${count}`);
    confirm.click();
    await settle();
    expect(changes()).toEqual([{ cmd: "accept_above", args: { articleId: null, minConfidence: 0.5 } }]);
    expect(document.querySelector("[data-testid=review-empty]")).not.toBeNull();
  });
});
