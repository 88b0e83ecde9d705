import { afterEach, beforeEach, describe, expect, it } from "vitest";
import ReviewView from "../src/components/ReviewView.svelte";
import { app } from "../src/state.svelte";
import { clearMocks, key, render, seedBackend, settle } from "./helpers";
import type { MockBackend } from "../src/mock/backend";

let backend: MockBackend;
const views: Array<ReturnType<typeof render>> = [];
beforeEach(() => {
  backend = seedBackend();
  app.countries = backend.countries;
  app.missions = backend.missions;
  app.setView("review", null);
  // Five of the seed's events as proposals, surest first: 95, 90, 80, 70, 60%.
  [1, 2, 3, 4, 5].forEach((id, i) => backend.propose(id, [0.95, 0.9, 0.8, 0.7, 0.6][i]!));
});
afterEach(() => {
  while (views.length) views.pop()!.destroy();
  app.setView("timeline", null);
  clearMocks();
});

const cards = () => [...document.querySelectorAll<HTMLElement>("[data-testid=review-item]")];
const titles = () => cards().map((c) => c.querySelector("[data-testid=review-title]")?.textContent);

describe("review view", () => {
  it("lists proposals surest first with their confidence", async () => {
    views.push(render(ReviewView, {}));
    await settle();
    expect(cards()).toHaveLength(5);
    expect(cards().map((c) => Number(c.dataset.eventId))).toEqual([1, 2, 3, 4, 5]);
    expect(cards()[0]!.textContent).toContain("95%");
    expect(document.querySelector("[data-testid=review-accept-above]")?.textContent).toContain("Accept 2");
  });

  it("accepts with the A key and moves focus to the next card", async () => {
    views.push(render(ReviewView, {}));
    await settle();
    const second = titles()[1];
    cards()[0]!.focus();
    key(cards()[0]!, "a");
    await settle();
    expect(backend.get(1).status).toBe("accepted");
    expect(cards()).toHaveLength(4);
    expect(document.activeElement?.querySelector("[data-testid=review-title]")?.textContent).toBe(second);
  });

  it("rejects with R and counts the bulk accept from the backend as the threshold moves", async () => {
    views.push(render(ReviewView, {}));
    await settle();
    key(cards()[4]!, "r");
    await settle();
    expect(backend.get(5).status).toBe("rejected");
    const range = document.querySelector<HTMLInputElement>("[data-testid=review-threshold]")!;
    range.value = "70";
    range.dispatchEvent(new Event("input", { bubbles: true }));
    await settle();
    const bulk = document.querySelector<HTMLButtonElement>("[data-testid=review-accept-above]")!;
    expect(bulk.textContent).toContain("Accept 4");
    bulk.click();
    await settle();
    expect([1, 2, 3, 4].map((id) => backend.get(id).status)).toEqual(["accepted", "accepted", "accepted", "accepted"]);
    expect(document.querySelector("[data-testid=review-empty]")).not.toBeNull();
  });
});

describe("bulk accept of many", () => {
  it("asks once more before accepting more than ten", async () => {
    for (let id = 6; id <= 15; id++) backend.propose(id, 0.92);
    views.push(render(ReviewView, {}));
    await settle();
    const bulk = document.querySelector<HTMLButtonElement>("[data-testid=review-accept-above]")!;
    expect(bulk.textContent).toContain("Accept 12");
    bulk.click();
    await settle();
    expect(backend.get(6).status).toBe("proposed");
    const confirm = document.querySelector<HTMLButtonElement>("[data-testid=review-accept-above-confirm]")!;
    expect(confirm.textContent).toContain("Accept 12");
    confirm.click();
    await settle();
    expect([1, 2, 6, 15].map((id) => backend.get(id).status)).toEqual(["accepted", "accepted", "accepted", "accepted"]);
    expect(backend.get(3).status).toBe("proposed");
  });
});
