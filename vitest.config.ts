// Two projects: `core` runs the pure functional core in Node (fast, property tests);
// `worker` runs integration tests inside workerd with real D1, R2, Durable Objects and Queues.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { TEST_BINDINGS } from "./test/bindings.ts";

export default defineConfig(async () => {
  const migrations = await readD1Migrations("migrations");
  // wrangler.toml declares required secrets and looks for them in process.env when reading
  // the config; the test values below are also given to miniflare as bindings.
  Object.assign(process.env, TEST_BINDINGS);
  return {
    test: {
      projects: [
        {
          test: { name: "core", include: ["test/core/**/*.test.ts"], environment: "node" },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: { bindings: { ...TEST_BINDINGS, TEST_MIGRATIONS: migrations } },
            }),
          ],
          test: {
            name: "worker",
            include: ["test/worker/**/*.test.ts"],
            setupFiles: ["test/worker/setup.ts"],
            testTimeout: 20_000,
            hookTimeout: 30_000,
          },
        },
      ],
    },
  };
});
