// Probes a Thronos node (THRONOS.md): `GET /health` says whether it is up; a replica's
// `GET /api/health` answers the "syncing" shape while its chain is empty, which makes it
// useless for reads (we then read from the master), so that counts as degraded.
import { callNode } from "./thronos/http.ts";
import { NodeHealth, Syncing } from "./thronos/schemas.ts";

export type NodeCheck = {
  status: "ok" | "down" | "degraded" | "not_configured";
  latency_ms?: number;
  detail?: string;
};

/** Checks one node; never throws. */
export async function probeNode(
  baseUrl: string | undefined,
  options: { checkSyncing?: boolean; timeoutMs?: number } = {},
): Promise<NodeCheck> {
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
