// Browser tests: real Chromium (Debian's /usr/bin/chromium, driven by playwright-core) against
// the real local stack (wrangler dev, D1, Durable Objects, the local Thronos node), which
// test/browser/global-setup.ts starts once. The tests run in Node, one file at a time: they
// share one tenant's live queue, so two files offering calls at once would race each other.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "browser",
    include: ["test/browser/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/browser/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 180_000,
  },
});
