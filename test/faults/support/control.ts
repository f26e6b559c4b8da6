// Drives the faults project's local Thronos node set through its control server
// (thronos-node/server.ts): inject a fault, read the chain and the request log, reset.
import { env } from "cloudflare:workers";
import type { ControlState, NodeRole } from "../../../thronos-node/server.ts";
import type { FaultMode } from "../../../thronos-node/faults.ts";
import { thronosConfigFrom } from "../../../worker/services/thronos/config.ts";
import type { ThronosConfig } from "../../../worker/services/thronos/config.ts";
import { toHex } from "../../../worker/encoding.ts";

export type FaultSpec = { node: NodeRole; mode: FaultMode; status?: number; delay_ms?: number; count?: number };

async function control(path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(new URL(path, env.THRONOS_CONTROL_URL), {
    method: body === undefined ? "GET" : "POST",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Makes `spec.node` fail as described until told otherwise (or for `count` requests). */
export const injectFault = (spec: FaultSpec) => control("/faults", spec);

/** Every node healthy, the chain empty, the log cleared, delayed requests cancelled. */
export const resetNodes = () => control("/reset", {});

export const nodeState = () => control("/state") as Promise<ControlState>;

/** The logged requests to one path, in arrival order: what the node actually received. */
export async function requestsTo(path: string) {
  return (await nodeState()).log.filter((entry) => entry.path === path).map(({ node, status }) => ({ node, status }));
}

/** The client config of the faults project's node set, with a test-sized time budget. */
export function testConfig(overrides: Partial<ThronosConfig> = {}): ThronosConfig {
  return { ...thronosConfigFrom(env), timeoutMs: 1000, retries: 2, aiTimeoutMs: 1000, ...overrides };
}

/** A fresh random SHA-256-sized hash in lowercase hex. */
export const randomHash = () => toHex(crypto.getRandomValues(new Uint8Array(32)));
