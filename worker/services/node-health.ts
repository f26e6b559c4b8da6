// Probes a Thronos node (THRONOS.md): `GET /health` says whether it is up; a replica's
// `GET /api/health` answers the "syncing" shape while its chain is empty, which makes it
// useless for reads (we then read from the master), so that counts as degraded.
// `/api/v1/health` reads the probes through a short cache, so that a monitor polling it every
// second costs each node one request per TTL, not one per poll.
import { callNode } from "./thronos/http.ts";
import { NodeHealth, Syncing } from "./thronos/schemas.ts";

export type NodeCheck = {
  status: "ok" | "down" | "degraded" | "not_configured";
  latency_ms?: number;
  detail?: string;
};

/** A probe as `/api/v1/health` reports it: when it was made and how old it is. */
export type CachedNodeCheck = NodeCheck & { checked_at?: string; age_ms?: number };

type ProbeOptions = { checkSyncing?: boolean; timeoutMs?: number };

/** Checks one node; never throws. */
async function probeNode(baseUrl: string | undefined, options: ProbeOptions = {}): Promise<NodeCheck> {
  if (!baseUrl) return { status: "not_configured" };
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 2000;
  const health = await callNode(baseUrl, { path: "/health", timeoutMs, retries: 0 });
  const latency_ms = Date.now() - started;
  if (!health.ok) return { status: "down", latency_ms, detail: health.kind === "http" ? `HTTP ${health.status}` : health.kind };
  // Chain nodes answer THRONOS.md's health shape; the AI core answers its own. Only an explicit
  // `ok: false` is a failure.
  const parsed = NodeHealth.safeParse(health.body);
  const body = health.body as { ok?: unknown } | null;
  if (body && body.ok === false) return { status: "down", latency_ms, detail: "node reports not ok" };
  if (options.checkSyncing) {
    const api = await callNode(baseUrl, { path: "/api/health", timeoutMs, retries: 0 });
    if (api.ok && Syncing.safeParse(api.body).success) return { status: "degraded", latency_ms, detail: "syncing" };
  }
  return { status: "ok", latency_ms, ...(parsed.success ? { detail: parsed.data.role } : {}) };
}

/** How long a probe answers for its node. Short enough that an outage shows within seconds. */
export const NODE_PROBE_TTL_MS = 20_000;

// Per isolate: each isolate probes at most once per TTL. Only settled probes are kept (a
// promise shared across requests would tie one request's I/O to another's lifetime). Keys are
// the few configured node URLs, so the map stays tiny.
const probes = new Map<string, { check: NodeCheck; checkedAt: number }>();

/** The node's probe if one younger than the TTL exists, else a fresh one; never throws. */
export async function cachedProbe(baseUrl: string | undefined, options: ProbeOptions = {}, now = Date.now()): Promise<CachedNodeCheck> {
  if (!baseUrl) return { status: "not_configured" };
  const key = `${options.checkSyncing ? "replica" : "node"} ${baseUrl}`;
  let probe = probes.get(key);
  // A clock that went backwards makes the probe's age unknowable: probe again.
  if (!probe || now - probe.checkedAt >= NODE_PROBE_TTL_MS || now < probe.checkedAt) {
    const check = await probeNode(baseUrl, options);
    probe = { check, checkedAt: Math.max(now, Date.now()) };
    probes.set(key, probe);
  }
  return { ...probe.check, checked_at: new Date(probe.checkedAt).toISOString(), age_ms: Math.max(0, now - probe.checkedAt) };
}

/** Drops every cached probe, so the next health request probes the nodes (tests use it). */
export function forgetNodeProbes(): void {
  probes.clear();
}
