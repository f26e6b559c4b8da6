// Benches that need workerd (real Durable Objects and sockets) but are not tests: the worker
// project's setup with its own include, run with `npx vitest run --config bench/vitest.config.ts`.
// Nothing here is part of `npm test`, and no bench asserts a speed.
import type { ConfigEnv } from "vitest/config";
import { defineConfig } from "vitest/config";
import base from "../vitest.config.ts";

type Project = { test: { name: string } & Record<string, unknown> } & Record<string, unknown>;

export default defineConfig(async (configEnv: ConfigEnv) => {
  const config = (await base(configEnv)) as { test: { projects: Project[] } };
  const worker = config.test.projects.find((p) => p.test.name === "worker")!;
  return {
    test: {
      projects: [{ ...worker, test: { ...worker.test, name: "bench", include: ["bench/**/*.bench.ts"], testTimeout: 600_000 } }],
    },
  };
});
