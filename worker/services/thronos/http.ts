// One HTTP exchange with a Thronos node, made safe to call from anywhere: a timeout on every
// attempt, a few quick retries for failures that may heal (5xx, timeouts, lost connections) and
// a typed result instead of an exception, so that callers decide between "fall back", "retry
// later through the Queue" and "give up".

export type NodeSuccess = { ok: true; status: number; body: unknown; nodeUrl: string };

export type NodeFailure = {
  ok: false;
  kind: "timeout" | "unreachable" | "http";
  /** The node's HTTP status, for kind "http". */
  status?: number;
  /** The node's parsed JSON answer, for kind "http" (null when it was not JSON). */
  body?: unknown;
  /** Whether trying again later can help: false for 4xx answers, which will not change. */
  retryable: boolean;
  message: string;
  nodeUrl: string;
};

export type NodeResult = NodeSuccess | NodeFailure;

export type NodeCall = {
  method?: "GET" | "POST";
  path: string;
  query?: Record<string, string>;
  json?: unknown;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Attempts after the first one; only 5xx, timeouts and connection errors are retried. */
  retries: number;
};

const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 2000;

/**
 * Delay before retry number `attempt + 1`: exponential, capped, with "equal jitter" (half fixed,
 * half random) so that many consumers retrying a recovering node do not arrive in step.
 */
function backoffMs(attempt: number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function nodeError(body: unknown): string {
  const error = typeof body === "object" && body !== null ? (body as { error?: unknown }).error : undefined;
  return typeof error === "string" ? `: ${error.slice(0, 200)}` : "";
}

async function attempt(url: URL, call: NodeCall, nodeUrl: string): Promise<NodeResult> {
  const signal = AbortSignal.timeout(call.timeoutMs);
  const what = `${call.method ?? "GET"} ${url.pathname}`;
  try {
    const res = await fetch(url, {
      method: call.method ?? "GET",
      headers: { Accept: "application/json", ...(call.json === undefined ? {} : { "Content-Type": "application/json" }), ...call.headers },
      body: call.json === undefined ? undefined : JSON.stringify(call.json),
      signal,
    });
    const body = parseBody(await res.text());
    if (res.ok) return { ok: true, status: res.status, body, nodeUrl };
    // 408 and 429 are the node asking us to come back later; other 4xx answers are final.
    const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
    return {
      ok: false,
      kind: "http",
      status: res.status,
      body,
      retryable,
      message: `${what} answered HTTP ${res.status}${nodeError(body)}`,
      nodeUrl,
    };
  } catch (err) {
    if (signal.aborted)
      return { ok: false, kind: "timeout", retryable: true, message: `${what} timed out after ${call.timeoutMs} ms`, nodeUrl };
    const reason = err instanceof Error ? err.message : String(err);
    return { ok: false, kind: "unreachable", retryable: true, message: `${what} failed to connect: ${reason}`, nodeUrl };
  }
}

const retryNow = (result: NodeFailure) => result.kind !== "http" || (result.status ?? 0) >= 500;

/** Calls `nodeUrl` + `call.path`; never throws. */
export async function callNode(nodeUrl: string, call: NodeCall): Promise<NodeResult> {
  const url = new URL(call.path, nodeUrl);
  for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value);
  for (let tries = 0; ; tries++) {
    const result = await attempt(url, call, nodeUrl);
    if (result.ok || !retryNow(result) || tries >= call.retries) return result;
    await new Promise((resolve) => setTimeout(resolve, backoffMs(tries)));
  }
}
