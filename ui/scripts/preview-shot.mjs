// Screenshots of the built UI in Debian's chromium, with the IPC mocked in memory.
//   npm run build && npm run shot            (all scenes)
//   npm run shot -- light-seed dense         (some scenes)
// Serves ui/dist with the app's strict CSP, so any violation shows up here as an
// error; writes PNGs to ui/shots/ and fails if the page logged errors.
import { createServer } from "node:http";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ui = fileURLToPath(new URL("..", import.meta.url));
const dist = join(ui, "dist");
const shots = join(ui, "shots");
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src ipc: http://ipc.localhost; img-src 'self' data:; object-src 'none'; base-uri 'none'";

if (!existsSync(join(dist, "index.html"))) throw new Error("build first: npm run build");
execFileSync(join(ui, "node_modules/.bin/vite"), ["build", "--config", "vite.mock.config.ts"], { cwd: ui, stdio: "inherit" });
const mock = readFileSync(join(ui, "scripts/out/mock.js"), "utf8");
mkdirSync(shots, { recursive: true });

const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png" };
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
  const file = join(dist, path === "/" ? "index.html" : path);
  if (!file.startsWith(dist) || !existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "content-security-policy": CSP });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
});

const drawn = async (page) =>
  JSON.parse((await page.evaluate(() => document.querySelector("canvas[data-testid=timeline]")?.getAttribute("data-drawn"))) ?? "[]");
const settle = (page) => page.waitForFunction(() => document.querySelector("canvas[data-testid=timeline]")?.getAttribute("aria-busy") === "false" && document.querySelector("[data-testid=event-list]")?.getAttribute("aria-busy") === "false").then(() => page.waitForTimeout(150));

const scenes = {
  async "light-seed"(page) {
    await settle(page);
  },
  async "dark-seed"(page) {
    await page.click("[data-testid=theme-toggle]");
    await settle(page);
  },
  async "light-selected-may"(page) {
    await settle(page);
    await page.locator("[data-testid=event-row]", { hasText: "Five North Koreans" }).click();
    await page.waitForSelector("[data-testid=details-title]");
    for (let i = 0; i < 9; i++) await page.click("[data-testid=zoom-in]");
    await settle(page);
    const d = await drawn(page);
    const target = d.find((x) => x.title.includes("Japanese Consulate")) ?? d[0];
    const box = await page.locator("canvas[data-testid=timeline]").boundingBox();
    await page.mouse.click(box.x + target.x, box.y + target.y);
    await page.waitForSelector("[data-testid=details-title]");
    await settle(page);
  },
  async "dark-lanes-country"(page) {
    await page.click("[data-testid=theme-toggle]");
    await page.selectOption("select[data-testid=lanes]", "country");
    await settle(page);
    await page.locator("[data-testid=event-row]", { hasText: "Five North Koreans" }).click();
    for (let i = 0; i < 7; i++) await page.click("[data-testid=zoom-in]");
    await page.click("[data-testid=close-details]");
    await settle(page);
  },
  async "light-filtered-japan"(page) {
    await settle(page);
    await page.check("input[data-testid=country-option-JP]");
    await page.fill("input[data-testid=search]", "consulate");
    await page.waitForTimeout(400);
    await settle(page);
  },
  async "light-form-invalid"(page) {
    await settle(page);
    await page.click("[data-testid=add-event]");
    await page.fill("form[data-testid=event-form] input[name=start]", "2002-02-30");
    await page.fill("form[data-testid=event-form] input[name=end]", "2001");
    await page.click("[data-testid=save-event]");
    await page.waitForSelector("[data-testid=error-title]");
  },
  async "dark-delete-toast"(page) {
    await page.click("[data-testid=theme-toggle]");
    await settle(page);
    await page.locator("[data-testid=event-row]").nth(2).click();
    await page.waitForSelector("[data-testid=details-title]");
    await page.click("[data-testid=delete-event]");
    await page.waitForSelector("[data-testid=confirm-delete]");
    await page.screenshot({ path: join(shots, "dark-confirm-delete.png") });
    await page.click("[data-testid=confirm-delete-yes]");
    await page.waitForSelector("[data-testid=undo]");
    await settle(page);
  },
  async "light-hostile-title"(page) {
    await settle(page);
    await page.click("[data-testid=add-event]");
    await page.fill("form[data-testid=event-form] input[name=title]", "<img src=x onerror=alert(1)>");
    await page.fill("form[data-testid=event-form] input[name=start]", "2002-05-09");
    await page.click("[data-testid=save-event]");
    await page.waitForSelector("[data-testid=details-title]");
    await settle(page);
  },
  async "light-dense"(page) {
    await settle(page);
  },
  async "dark-dense-zoomed"(page) {
    await page.click("[data-testid=theme-toggle]");
    await settle(page);
    for (let i = 0; i < 6; i++) await page.click("[data-testid=zoom-in]");
    await settle(page);
  },
  async "light-dense-lanes"(page) {
    await page.selectOption("select[data-testid=lanes]", "kind");
    await settle(page);
  },
  // Not a picture: drives the main flows with the keyboard and mouse and checks them.
  async "light-flows"(page) {
    const expect = (ok, what) => {
      if (!ok) throw new Error(`flow check failed: ${what}`);
    };
    const count = () => page.textContent("[data-testid=result-count]").then((t) => t.trim());
    await settle(page);
    expect((await count()) === "21 events", "seed count");
    // Every published point selects its own event.
    // (Positions hold for the current drawing: read them again after each click,
    // since opening the details narrows the canvas.)
    const titles = (await drawn(page)).map((d) => d.title);
    for (const title of titles) {
      const d = (await drawn(page)).find((x) => x.title === title);
      if (!d) continue;
      const box = await page.locator("canvas[data-testid=timeline]").boundingBox();
      await page.mouse.click(box.x + d.x, box.y + d.y);
      await page.waitForFunction((t) => document.querySelector("[data-testid=details-title]")?.textContent === t, d.title, { timeout: 3000 });
    }
    await page.keyboard.press("Escape");
    await page.waitForSelector("[data-testid=details]", { state: "detached" });
    // Search from the keyboard.
    await page.keyboard.press("/");
    await page.keyboard.type("koizumi");
    // Koizumi's statement, and the Vienna Convention whose quote names him.
    await page.waitForFunction(() => document.querySelector("[data-testid=result-count]")?.textContent?.trim() === "2 events");
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => document.querySelector("[data-testid=result-count]")?.textContent?.trim() === "21 events");
    // Mission filter, chip, removal.
    const spanish = await page.evaluate(() => window.__annalsMock.missions.find((m) => m.name.startsWith("Spanish")).id);
    await page.check(`input[data-testid=mission-option-${spanish}]`);
    await page.waitForFunction(() => document.querySelector("[data-testid=result-count]")?.textContent?.trim() === "1 event");
    await settle(page);
    expect((await page.locator("[data-testid=event-row]").count()) === 1, "one row for the Spanish Embassy");
    expect((await drawn(page)).length === 1, "one mark for the Spanish Embassy");
    await page.click("[data-testid=remove-chip]");
    await page.waitForFunction(() => document.querySelector("[data-testid=result-count]")?.textContent?.trim() === "21 events");
    // Edit from the keyboard.
    await page.locator("[data-testid=event-row]", { hasText: "Korean War" }).click();
    await page.keyboard.press("e");
    await page.waitForSelector("form[data-testid=event-form]");
    expect((await page.inputValue("form[data-testid=event-form] input[name=title]")).startsWith("Korean War"), "form filled");
    await page.fill("form[data-testid=event-form] input[name=title]", "Korean War (edited)");
    await page.click("[data-testid=save-event]");
    await page.waitForFunction(() => document.querySelector("[data-testid=details-title]")?.textContent === "Korean War (edited)");
    expect((await page.locator("[data-testid=event-row]", { hasText: "Korean War (edited)" }).count()) === 1, "list shows the edit");
    // Delete with confirmation, then Ctrl+Z.
    await page.locator("[data-testid=event-list]").focus();
    await page.keyboard.press("Delete");
    await page.waitForSelector("[data-testid=confirm-delete]");
    await page.click("[data-testid=confirm-delete-yes]");
    await page.waitForFunction(() => document.querySelector("[data-testid=result-count]")?.textContent?.trim() === "20 events");
    await page.waitForSelector("[data-testid=undo]");
    await page.keyboard.press("Control+z");
    await page.waitForFunction(() => document.querySelector("[data-testid=result-count]")?.textContent?.trim() === "21 events");
    // New event: Escape cancels, nothing saved.
    await page.keyboard.press("n");
    await page.waitForSelector("form[data-testid=event-form]");
    await page.keyboard.press("Escape");
    await page.waitForSelector("form[data-testid=event-form]", { state: "detached" });
    expect((await count()) === "21 events", "cancel saves nothing");
    // Zoom keys and fit.
    await page.locator("canvas[data-testid=timeline]").focus();
    await page.keyboard.press("+");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("0");
    await settle(page);
    expect((await drawn(page)).length >= 15, "fit all shows the seed");
  },
  async "light-article"(page) {
    await settle(page);
    await page.locator("[data-testid=event-row]", { hasText: "Five North Koreans" }).click();
    await page.click("[data-testid=open-article]");
    await page.waitForSelector("[data-testid=article-highlight]");
    const mark = await page.textContent("[data-testid=article-highlight]");
    if (!mark.startsWith("In Wednesday's episode")) throw new Error(`highlight is ${mark}`);
    await page.waitForTimeout(200);
  },
  async "light-error"(page) {
    await page.waitForSelector("[data-testid=app-error]");
  },
  async "light-empty"(page) {
    await page.waitForTimeout(500);
  },
};
const modes = { dense: "dense", "light-error": "broken", empty: "empty" };

const wanted = process.argv.slice(2);
let failed = false;
for (const [name, run] of Object.entries(scenes)) {
  if (wanted.length && !wanted.some((w) => name.includes(w))) continue;
  const mode = Object.entries(modes).find(([k]) => name.includes(k))?.[1] ?? "seed";
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, colorScheme: "light" });
  await context.addInitScript({ content: mock });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => (m.type() === "error" || m.type() === "warning") && problems.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  const t0 = Date.now();
  await page.goto(`${base}?mock=${mode}`);
  try {
    await run(page);
    await page.screenshot({ path: join(shots, `${name}.png`) });
    const n = (await drawn(page).catch(() => [])).length;
    console.log(`${name}: ${Date.now() - t0} ms, ${n} drawn${problems.length ? `\n  ${problems.join("\n  ")}` : ""}`);
  } catch (e) {
    console.log(`${name}: FAILED ${e.message}\n  ${problems.join("\n  ")}`);
    await page.screenshot({ path: join(shots, `${name}.failed.png`) }).catch(() => {});
    failed = true;
  }
  if (problems.length) failed = true;
  await context.close();
}
await browser.close();
server.close();
process.exit(failed ? 1 : 0);
