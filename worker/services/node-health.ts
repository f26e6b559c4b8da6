// Probes a Thronos node's `GET /health` (THRONOS.md) with a short timeout.

export type NodeCheck = {
  status: "ok" | "down" | "degraded" | "not_configured";
  latency_ms?: number;
  detail?: string;
};

/** Checks one node; never throws. A syncing replica counts as degraded. */
export async function probeNode(baseUrl: string | undefined, timeoutMs = 2000): Promise<NodeCheck> {
  if (!baseUrl) return { status: "not_configured" };
  const started = Date.now();
  try {
    const res = await fetch(new URL("/health", baseUrl), { signal: AbortSignal.timeout(timeoutMs) });
    const latency_ms = Date.now() - started;
    if (!res.ok) return { status: "down", latency_ms, detail: `HTTP ${res.status}` };
    const body = (await res.json().catch(() => null)) as { ok?: boolean; status?: string; role?: string } | null;
    if (body?.status === "syncing") return { status: "degraded", latency_ms, detail: "syncing" };
    return { status: body?.ok === false ? "down" : "ok", latency_ms, ...(body?.role ? { detail: body.role } : {}) };
  } catch (err) {
    const detail = err instanceof Error && err.name === "TimeoutError" ? "timeout" : "unreachable";
    return { status: "down", latency_ms: Date.now() - started, detail };
  }
}
