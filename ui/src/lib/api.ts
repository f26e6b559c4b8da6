// Fetch wrapper: adds the bearer token, parses the contract's error JSON into ApiFailure,
// and signs the user out when the server says the token is no longer valid.
import { currentSession, setSession } from "./session.ts";

export class ApiFailure extends Error {
  status: number;
  code: string;
  details: Record<string, unknown> | undefined;
  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  const token = currentSession()?.token;
  if (token) headers.set("Authorization", `Bearer ${token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(init.json);
  }
  const res = await fetch(`/api/v1${path}`, { ...init, headers, body });
  if (res.ok) return (res.headers.get("Content-Type")?.includes("json") ? res.json() : res.blob()) as Promise<T>;
  const payload = (await res.json().catch(() => null)) as { error?: { code: string; message: string; details?: Record<string, unknown> } } | null;
  if (res.status === 401 && token) setSession(null);
  throw new ApiFailure(
    res.status,
    payload?.error?.code ?? "http_error",
    payload?.error?.message ?? `Request failed (${res.status})`,
    payload?.error?.details,
  );
}

/** A readable sentence for any thrown value. */
export function describeError(err: unknown): string {
  if (err instanceof ApiFailure) {
    const fields = err.details ? Object.entries(err.details).filter(([, v]) => typeof v === "string") : [];
    return fields.length ? `${err.message} ${fields.map(([k, v]) => `${k}: ${v}`).join("; ")}` : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
