// Page-side helpers of the payload tests (tests/e2e/payload.rs), installed once
// per page as `window.__probe`. Each walk over a view runs here, in one WebDriver
// call, instead of one round trip per element.
(() => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const $ = (css, root = document) => root.querySelector(css);
  const $$ = (css, root = document) => Array.from(root.querySelectorAll(css));
  async function until(f, what, ms = 15000) {
    const t0 = performance.now();
    for (;;) {
      const v = f();
      if (v) return v;
      if (performance.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
      await sleep(15);
    }
  }
  /** Sets a field as a paste would, so Svelte's bindings see it. */
  function setValue(el, v) {
    el.value = v;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }
  const text = (css, root) => ($(css, root) ? $(css, root).textContent : null);

  // Elements no view of the app makes: any of them in the page came from text.
  const FOREIGN = [
    "iframe", "object", "embed", "img", "video", "audio", "source", "math", "template",
    "marquee", "xmp", "plaintext", "noscript", "base", "meta[http-equiv]", "form[action]",
    "a[href]", "link:not([rel=stylesheet])", "script:not([src])", "style", "body *[style*=fixed]",
    "b", "i", "details",
  ];
  function counts() {
    const c = {};
    for (const sel of FOREIGN) c[sel] = $$(sel).length;
    return c;
  }
  const baseline = counts();
  const errors = [];
  window.addEventListener("error", (e) => errors.push(String(e.message)));
  window.addEventListener("unhandledrejection", (e) => errors.push(String(e.reason?.stack ?? e.reason)));

  /** Every trace of a payload in the page: elements, handler attributes, scripts run. */
  function injected() {
    const out = [];
    if (window.__pwned !== undefined) out.push(`a payload's script ran: ${window.__pwned}`);
    if (window.top !== window) out.push("the page is framed");
    for (const el of $$("*")) {
      if (/^pwn/i.test(el.id) || /(^|\s)pwn/i.test(el.getAttribute("class") ?? "")) {
        out.push(`element from a payload: ${el.outerHTML.slice(0, 120)}`);
      }
      for (const a of el.attributes) {
        if (/^on/i.test(a.name)) out.push(`<${el.tagName.toLowerCase()}> has an ${a.name} attribute`);
        if (/^\s*(javascript|data):/i.test(a.value) && a.name !== "data-drawn") {
          out.push(`<${el.tagName.toLowerCase()} ${a.name}="${a.value.slice(0, 60)}">`);
        }
      }
    }
    const now = counts();
    for (const sel of FOREIGN) {
      if (now[sel] > baseline[sel]) out.push(`${now[sel] - baseline[sel]} new ${sel}`);
    }
    return out;
  }

  /** The rows of the list, scrolled through: [[id, title, meta]] in order. */
  async function listRows() {
    const sc = $(".list-scroll");
    const rows = new Map();
    sc.scrollTop = 0;
    for (;;) {
      await until(() => $$(".row", sc).length > 0 && !$(".row.placeholder", sc), "list rows");
      for (const r of $$("[data-testid=event-row]", sc)) {
        rows.set(Number(r.dataset.eventId), [text(".row-title", r), Number(r.getAttribute("aria-posinset"))]);
      }
      if (sc.scrollTop + sc.clientHeight >= sc.scrollHeight - 2) break;
      sc.scrollTop += Math.max(50, sc.clientHeight - 50);
      await sleep(30);
    }
    return [...rows.entries()].sort((a, b) => a[1][1] - b[1][1]).map(([id, [t, pos]]) => [id, t, pos]);
  }

  /** Opens each event's details from its row: [[id, title, summary, quotes, cites]]. */
  async function details(rows, want) {
    const sc = $(".list-scroll");
    const out = [];
    for (const [id, , pos] of rows) {
      sc.scrollTop = (pos - 1) * 50;
      await until(() => $(`#event-row-${id}`), `row ${id}`);
      // A click that lands while the list is still settling is clicked again.
      for (let attempt = 0; attempt < 3; attempt++) {
        $(`#event-row-${id}`).click();
        try {
          await until(() => text("[data-testid=details-title]") === want[id], `details of ${id}`, 6000);
          break;
        } catch {
          // Recorded as it is after the last try; the test says what differs.
        }
      }
      let direct = null;
      if (text("[data-testid=details-title]") !== want[id]) {
        const t0 = performance.now();
        direct = await Promise.race([
          window.__TAURI_INTERNALS__.invoke("get_event", { id }).then((e) => `answered ${e.title} in ${performance.now() - t0} ms`, (e) => `failed ${JSON.stringify(e)}`),
          sleep(8000).then(() => "no answer in 8 s"),
        ]);
        const t1 = performance.now();
        const other = await Promise.race([
          window.__TAURI_INTERNALS__.invoke("app_info", {}).then(() => `app_info in ${performance.now() - t1} ms`, (e) => `app_info failed ${JSON.stringify(e)}`),
          sleep(5000).then(() => "app_info: no answer in 5 s"),
        ]);
        direct += ` / ${other}`;
      }
      out.push([
        id,
        text("[data-testid=details-title]"),
        text("[data-testid=details-summary]"),
        $$("[data-testid=details-quote]").map((q) => q.textContent),
        $$(".source cite").map((c) => c.textContent),
        text("[data-testid=details-title]") === null ? `${direct} | ${errors.join(" / ")} | ${$(".toasts")?.textContent ?? ""} | ${$("[data-testid=details]")?.outerHTML.slice(0, 300) ?? "no details pane"} | selected row: ${$(`#event-row-${id}`)?.outerHTML.slice(0, 200)}` : null,
      ]);
    }
    return out;
  }

  /** Adds events through the form: [title, start, summary] each; what each save said. */
  async function addThroughForm(items) {
    const out = [];
    for (const [title, start, summary] of items) {
      $("[data-testid=add-event]").click();
      const form = await until(() => $("form[data-testid=event-form]"), "the form");
      setValue($("[name=title]", form), title);
      setValue($("[name=start]", form), start);
      setValue($("[name=summary]", form), summary);
      $("[data-testid=save-event]").click();
      const r = await until(
        () => (!$("form[data-testid=event-form]") ? "saved" : text("[data-testid=error-title]") ?? text("[data-testid=error-summary]")),
        "the save",
      );
      if (r !== "saved") {
        $("[data-testid=cancel-event]").click();
        await until(() => !$("form[data-testid=event-form]"), "the form to close");
      }
      out.push(r);
    }
    return out;
  }

  /** Hovers each drawn mark: [[id, tooltip title]]. */
  async function tooltips(drawn) {
    const c = $("canvas[data-testid=timeline]");
    const r = c.getBoundingClientRect();
    const out = [];
    for (const d of drawn) {
      c.dispatchEvent(new PointerEvent("pointermove", { bubbles: true, clientX: r.left + d.x, clientY: r.top + d.y, pointerId: 1, pointerType: "mouse" }));
      const tip = await until(() => $("[role=tooltip] .tip-title"), `the tooltip of ${d.id}`);
      out.push([d.id, tip.textContent]);
      c.dispatchEvent(new PointerEvent("pointerleave", { bubbles: true, pointerId: 1 }));
      await until(() => !$("[role=tooltip]"), "the tooltip to go");
    }
    return out;
  }

  /** Each card of the review queue as shown: [[id, title, quote, cite]]. */
  function reviewCards() {
    return $$("[data-testid=review-item]").map((c) => [
      Number(c.dataset.eventId),
      text("[data-testid=review-title]", c),
      text(".rc-quote", c),
      text(".rc-source cite", c),
    ]);
  }

  /** Each article waiting for review, chosen in the list and opened:
   * [[article title in the list, heading, article dialog title, body, cards]]. */
  async function reviewArticles() {
    const out = [];
    const count = $$("[data-testid=review-article]").length;
    for (let i = 0; i < count; i++) {
      const a = $$("[data-testid=review-article]")[i];
      const listed = text(".ra-title", a);
      a.click();
      await until(() => a.getAttribute("aria-current") === "true" && text("#review-title") === listed && $("[data-testid=review-item]"), `article ${i}`);
      // The cards of the article chosen before go when this one's arrive.
      try {
        await until(() => reviewCards().every((c) => c[3] === listed), `the cards of article ${i}`, 3000);
      } catch {
        // Recorded as they are; the test says what differs.
      }
      const heading = text("#review-title");
      const cards = reviewCards();
      $("[data-testid=review-open-article]").click();
      const body = await until(() => $("[data-testid=article-body]"), `the body of article ${i}`);
      await until(() => body.textContent.length > 0, "the body's text");
      out.push([listed, heading, text("#article-title"), body.textContent, cards, injected()]);
      $("[data-testid=article] .modal-head .icon-btn").click();
      await until(() => !$("[data-testid=article-body]"), "the article to close");
    }
    return out;
  }

  /** Opens "Merge into…" on each card: [[heading, [[id, title]]]]. */
  async function mergeDialogs() {
    const out = [];
    for (const card of $$("[data-testid=review-item]")) {
      $("[data-testid=review-merge]", card).click();
      const dlg = await until(() => $("[data-testid=merge-dialog]"), "the merge dialog");
      await until(() => $$("[data-testid=merge-option]", dlg).length > 0, "merge candidates");
      out.push([
        text("#merge-title", dlg),
        $$(".merge-option", dlg).map((o) => [Number($("input", o).value), text(".merge-title", o)]),
        injected(),
      ]);
      $(".modal-head .icon-btn", dlg).click();
      await until(() => !$("[data-testid=merge-dialog]"), "the merge dialog to close");
    }
    return out;
  }

  window.__probe = { injected, listRows, details, addThroughForm, tooltips, reviewCards, reviewArticles, mergeDialogs, setValue };
})();
