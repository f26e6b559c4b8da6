// Client-app fixtures: a tenant's API key, a hosted session and its exchanged token, and the
// webhook receiver lab (receiver-setup.ts).
import { inject } from "vitest";
import { expect } from "vitest";
import { callJson, type Json } from "../support/api.ts";
import type { TestTenant } from "../support/tenant.ts";

export async function apiKey(t: TestTenant, scopes = ["verifications:write", "verifications:read", "webhooks:manage"]) {
  const { status, body } = await callJson("/api-keys", { token: t.manager.token, json: { name: "bank backend", scopes } });
  expect(status, JSON.stringify(body)).toBe(201);
  return body as Json & { key: string; id: string };
}

export const withKey = (key: string, extra: Record<string, string> = {}) => ({ "X-API-Key": key, ...extra });

export async function hostedVerification(
  key: string,
  body: Json = { external_ref: `user-${crypto.randomUUID()}` },
  idempotencyKey?: string,
) {
  return callJson("/verifications", { json: body, headers: withKey(key, idempotencyKey ? { "Idempotency-Key": idempotencyKey } : {}) });
}

export const sessionTokenOf = (sessionUrl: string) => new URL(sessionUrl).hash.replace(/^#session=/, "");

export async function exchange(sessionUrl: string) {
  return callJson("/auth/session", { json: { session_token: sessionTokenOf(sessionUrl) } });
}

const lab = () => inject("webhookLab");

/** A fresh receiver URL that answers with `statuses` first, then 204. */
export async function receiver(statuses: number[] = []) {
  const name = crypto.randomUUID();
  await fetch(`${lab()}/script/${name}`, { method: "POST", body: JSON.stringify(statuses) });
  return { name, url: `${lab()}/hook/${name}` };
}

export async function received(name: string): Promise<Array<{ headers: Record<string, string>; body: string }>> {
  return (await fetch(`${lab()}/log/${name}`)).json();
}

/** Starts examples/webhook-receiver.ts in the lab; `setSecret` hands it its endpoint's secret. */
export async function startExampleReceiver(): Promise<{ url: string; index: number; setSecret: (secret: string) => Promise<void> }> {
  const started: { url: string; index: number } = await (await fetch(`${lab()}/example/start`, { method: "POST" })).json();
  const setSecret = async (secret: string) => {
    await fetch(`${lab()}/example-secret/${started.index}`, { method: "POST", body: JSON.stringify({ secret }) });
  };
  return { ...started, setSecret };
}

export async function exampleDeliveries(index: number): Promise<Json[]> {
  return (await fetch(`${lab()}/example/${index}`)).json();
}

/** Polls `check` until it returns a value (queues deliver asynchronously), or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
