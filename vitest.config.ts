// Four projects: `core` runs the pure functional core in Node (fast, property tests);
// `worker` runs integration tests inside workerd with real D1, R2, Durable Objects and Queues;
// `faults` runs inside workerd too, against its own local Thronos node set, one file at a time
// so that a fault injected by one file never races another. Both run with abuse limits raised
// by vars (RAISED_LIMITS); `limits` runs inside workerd with every default limit and proves each.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { RAISED_LIMITS, TEST_BINDINGS } from "./test/bindings.ts";

export default defineConfig(async () => {
  const migrations = await readD1Migrations("migrations");
  // wrangler.toml declares required secrets and looks for them in process.env when reading
  // the config; the test values below are also given to miniflare as bindings.
  Object.assign(process.env, TEST_BINDINGS);
  // The Thronos URLs are known only once test/global-setup.ts has started the project's node set.
  const workerd = (vars: Record<string, string> = {}) =>
    cloudflareTest(async ({ inject }) => {
      const thronos = inject("thronos");
      const bindings = {
        ...TEST_BINDINGS,
        ...vars,
        THRONOS_MASTER_URL: thronos.masterUrl,
        THRONOS_REPLICA_URL: thronos.replicaUrl,
        THRONOS_AI_URL: thronos.aiUrl,
        THRONOS_CONTROL_URL: thronos.controlUrl,
        TEST_MIGRATIONS: migrations,
      };
      return { wrangler: { configPath: "./wrangler.toml" }, miniflare: { bindings } };
    });
  const workerdTest = {
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/worker/setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  };
  return {
    test: {
      projects: [
        {
          test: { name: "core", include: ["test/core/**/*.test.ts"], environment: "node" },
        },
        {
          plugins: [workerd(RAISED_LIMITS)],
          test: {
            name: "worker",
            include: ["test/worker/**/*.test.ts"],
            ...workerdTest,
            globalSetup: [...workerdTest.globalSetup, "test/worker/client-apps/receiver-setup.ts"],
          },
        },
        {
          plugins: [workerd(RAISED_LIMITS)],
          test: { name: "faults", include: ["test/faults/**/*.test.ts"], fileParallelism: false, ...workerdTest },
        },
        {
          plugins: [workerd()],
          test: { name: "limits", include: ["test/limits/**/*.test.ts"], ...workerdTest, testTimeout: 90_000 },
        },
      ],
    },
  };
});
