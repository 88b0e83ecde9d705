// Builds the in-memory IPC mock (src/mock/install.ts) into one script for
// screenshots: `vite build --config vite.mock.config.ts`.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  logLevel: "warn",
  build: {
    outDir: "scripts/out",
    emptyOutDir: true,
    target: "es2021",
    minify: false,
    lib: { entry: "src/mock/install.ts", formats: ["iife"], name: "annalsMock", fileName: () => "mock.js" },
  },
});
