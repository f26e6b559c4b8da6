// Vitest global setup (runs in Node, before any workerd starts). Each workerd project lists
// this file, so each gets its own local Thronos node set: the `worker` project shares one, and
// the `faults` project injects faults into another, so a fault can never leak into a worker test.
import type { TestProject } from "vitest/node";
import { startLocalThronos } from "../thronos-node/server.ts";
import type { LocalThronosUrls } from "../thronos-node/server.ts";
import { TEST_BINDINGS } from "./bindings.ts";

declare module "vitest" {
  export interface ProvidedContext {
    thronos: LocalThronosUrls;
  }
}

/** Starts this project's node set, hands its URLs to the project, and stops it afterwards. */
export default async function setup(project: TestProject) {
  const node = await startLocalThronos({ aiKey: TEST_BINDINGS.THRONOS_AI_KEY });
  const { masterUrl, replicaUrl, aiUrl, controlUrl } = node;
  project.provide("thronos", { masterUrl, replicaUrl, aiUrl, controlUrl });
  return () => node.close();
}
