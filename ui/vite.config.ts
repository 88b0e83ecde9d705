import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// The app runs under a strict CSP (no inline scripts or styles, no eval): every
// asset is a file, nothing is inlined, and Svelte's CSS goes to a stylesheet.
const here = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig(({ mode }) => ({
  root: here,
  base: "./",
  plugins: [svelte({ compilerOptions: { css: "external" } })],
  clearScreen: false,
  server: { port: 1420, strictPort: true, fs: { allow: [here] } },
  preview: { port: 4173, strictPort: true },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2021",
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
  },
  // Components mount in jsdom: use Svelte's browser build there.
  resolve: mode === "test" ? { conditions: ["browser"] } : undefined,
  test: {
    environment: "jsdom",
    include: ["tests/**/*.test.ts"],
    setupFiles: ["tests/setup.ts"],
  },
}));
