// Calls the Worker the way a client does: through its fetch handler, inside workerd.
import { exports } from "cloudflare:workers";

export const ORIGIN = "http://verifyid.test";

export type Json = Record<string, any>;

/** A request to /api/v1<path>; `json` is sent as a JSON body, `token` as a bearer token. */
export async function call(
  path: string,
  init: { method?: string; token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(init.json);
  }
  return exports.default.fetch(`${ORIGIN}/api/v1${path}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body });
}

/** Like `call`, but returns the status and the parsed JSON body together. */
export async function callJson(path: string, init: Parameters<typeof call>[1] = {}): Promise<{ status: number; body: Json }> {
  const res = await call(path, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

const tokens = new Map<string, string>();

/** Logs a demo account in (password demo-password) and caches its token for the file. */
export async function login(email: string): Promise<string> {
  const cached = tokens.get(email);
  if (cached) return cached;
  const { status, body } = await callJson("/auth/login", { json: { email, password: "demo-password" } });
  if (status !== 200) throw new Error(`login ${email} failed: ${status} ${JSON.stringify(body)}`);
  tokens.set(email, body.token);
  return body.token;
}

/** The `sub` claim of a token: the user's id. */
export function userIdOf(token: string): string {
  return JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))).sub;
}

/** An answer without its error's `request_id`, which differs on every request by design: for
 * checks that two answers tell the caller exactly the same thing. */
export function sameAnswer(answer: { status: number; body: Json }): { status: number; body: Json } {
  if (!answer.body?.error) return answer;
  const { request_id: _id, ...error } = answer.body.error;
  return { ...answer, body: { ...answer.body, error } };
}
