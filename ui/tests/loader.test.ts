import { describe, expect, it } from "vitest";
import { WindowLoader } from "../src/lib/loader";
import type { WindowQuery } from "../src/bindings/WindowQuery";
import type { WindowResult } from "../src/bindings/WindowResult";
import type { EventFilter } from "../src/bindings/EventFilter";

const filter: EventFilter = { countries: [], missions: [], kinds: [], statuses: [], from: null, to: null, text: null };

function harness(result: (q: WindowQuery) => WindowResult = () => ({ total: 0, items: [], bins: [] })) {
  const queries: WindowQuery[] = [];
  const resolvers: Array<() => void> = [];
  const loads: number[] = [];
  const loader = new WindowLoader(
    (q) =>
      new Promise((resolve) => {
        queries.push(q);
        resolvers.push(() => resolve(result(q)));
      }),
    (l) => loads.push(l.lo),
    () => {},
    filter,
    "none",
  );
  const flush = async () => {
    await Promise.resolve();
    await Promise.resolve();
  };
  return { loader, queries, resolvers, loads, flush };
}

describe("window loader", () => {
  it("asks for the view plus a view's width on each side", () => {
    const h = harness();
    h.loader.ensure(1000, 100, 500);
    expect(h.queries).toHaveLength(1);
    expect(h.queries[0]).toMatchObject({ lo: 900, hi: 1200, lanes: "none", bins: 250 });
  });

  it("keeps one request in flight and sends only the latest wish after it", async () => {
    const h = harness();
    h.loader.ensure(1000, 100, 500);
    h.loader.ensure(5000, 100, 500);
    h.loader.ensure(9000, 100, 500);
    expect(h.queries).toHaveLength(1);
    h.resolvers[0]!();
    await h.flush();
    expect(h.queries).toHaveLength(2);
    expect(h.queries[1]!.lo).toBe(8900);
  });

  it("reuses what is loaded while the view stays inside it", async () => {
    const h = harness();
    h.loader.ensure(1000, 100, 500);
    h.resolvers[0]!();
    await h.flush();
    h.loader.ensure(950, 100, 500);
    h.loader.ensure(1080, 50, 500);
    expect(h.queries).toHaveLength(1);
    h.loader.ensure(1150, 100, 500);
    expect(h.queries).toHaveLength(2);
  });

  it("refetches binned data when the zoom changes a lot, even inside it", async () => {
    const h = harness(() => ({ total: 9999, items: [], bins: [{ lane: "", lo: 0, hi: 10, count: 9999 }] }));
    h.loader.ensure(1000, 100, 500);
    h.resolvers[0]!();
    await h.flush();
    h.loader.ensure(1010, 90, 500);
    expect(h.queries).toHaveLength(1);
    h.loader.ensure(1040, 20, 500);
    expect(h.queries).toHaveLength(2);
  });

  it("drops an answer to an old filter and fetches for the new one", async () => {
    const h = harness();
    h.loader.ensure(1000, 100, 500);
    h.loader.reset({ ...filter, countries: ["JP"] }, "country");
    h.loader.ensure(1000, 100, 500);
    h.resolvers[0]!();
    await h.flush();
    expect(h.loads).toEqual([]);
    expect(h.queries[1]).toMatchObject({ filter: { countries: ["JP"] }, lanes: "country" });
    h.resolvers[1]!();
    await h.flush();
    expect(h.loads).toEqual([900]);
  });
});
