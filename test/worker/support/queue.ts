// Queue fixtures: verifications waiting for a call, agents who are ready, and sockets.
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { callJson, ORIGIN, type Json } from "./api.ts";
import { pngBytes } from "./files.ts";
import { uploadDocument } from "./factories.ts";
import type { TestTenant, TestUser } from "./tenant.ts";

/** A customer's verification with one document, queued by the manager at `priority`. */
export async function queuedCall(tenant: TestTenant, customer: TestUser, priority = "normal"): Promise<Json> {
  const created = await callJson("/verifications", { token: customer.token, json: { user_info: { name: customer.name } } });
  expect(created.status).toBe(201);
  expect((await uploadDocument(customer.token, created.body.id, pngBytes())).status).toBe(201);
  const queued = await callJson("/video-calls/queue", {
    token: tenant.manager.token,
    json: { verification_id: created.body.id, priority },
  });
  expect(queued.status, JSON.stringify(queued.body)).toBe(201);
  return { ...queued.body, verification_id: created.body.id };
}

/** Online with a fresh heartbeat and a connected device: ready for offers. */
export async function makeReady(agent: TestUser, maxCalls = 1) {
  const status = await callJson("/video-calls/agents/status", {
    token: agent.token,
    json: { status: "online", max_concurrent_calls: maxCalls },
  });
  expect(status.status, JSON.stringify(status.body)).toBe(200);
  const beat = await callJson("/agents/heartbeat", { token: agent.token, json: { device_connected: true } });
  expect(beat.status).toBe(200);
  return beat.body;
}

export function coordinator(tenant: TestTenant) {
  return env.QUEUE_COORDINATOR.getByName(tenant.id);
}

export function presence(tenant: TestTenant, agent: TestUser) {
  return env.AGENT_PRESENCE.getByName(`${tenant.id}:${agent.id}`);
}

export async function pendingIds(token: string): Promise<string[]> {
  const { body } = await callJson("/video-calls/pending", { token });
  return body.pending_calls.map((c: Json) => c.id);
}

/** A client socket that records every message and can wait for one. */
export class TestSocket {
  readonly messages: Json[] = [];
  /** The frames as they arrived (a queue_digest frame is one frame, several messages). */
  readonly frames: Json[] = [];
  readonly ws: WebSocket;
  private waiters: Array<{ match: (m: Json) => boolean; resolve: (m: Json) => void }> = [];
  closed = false;

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.accept();
    ws.addEventListener("message", (event) => {
      const frame = JSON.parse(event.data as string) as Json;
      this.frames.push(frame);
      // An agent's coalesced digest holds several messages in one frame: tests read them one by one.
      for (const message of frame.type === "queue_digest" ? (frame.messages as Json[]) : [frame]) {
        this.messages.push(message);
        this.waiters = this.waiters.filter((w) => (w.match(message) ? (w.resolve(message), false) : true));
      }
    });
    this.closedWith = new Promise((resolve) => {
      ws.addEventListener("close", (event) => {
        this.closed = true;
        resolve({ code: event.code, reason: event.reason });
      });
    });
  }

  /** How the server closed the socket, once it did. */
  readonly closedWith: Promise<{ code: number; reason: string }>;

  /** The close, or a timeout error: for sockets the server is expected to close. */
  closedWithin(timeoutMs = 3000): Promise<{ code: number; reason: string }> {
    return Promise.race([
      this.closedWith,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs)),
    ]);
  }

  /** The first message (already received or coming) of `type` that matches `where`. */
  next(type: string, where: (m: Json) => boolean = () => true, timeoutMs = 5000): Promise<Json> {
    const match = (m: Json) => m.type === type && where(m);
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${type} message within ${timeoutMs} ms; got ${this.messages.map((m) => m.type).join(", ")}`)),
        timeoutMs,
      );
      this.waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  /** Messages of `type` received so far. */
  all(type: string): Json[] {
    return this.messages.filter((m) => m.type === type);
  }

  send(message: unknown) {
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  close() {
    this.ws.close(1000, "test done");
  }
}

/** Opens a WebSocket to /api/v1<path> with the token in `?token=`. */
export async function openSocket(path: string, token: string): Promise<TestSocket> {
  const separator = path.includes("?") ? "&" : "?";
  const res = await exports.default.fetch(`${ORIGIN}/api/v1${path}${separator}token=${encodeURIComponent(token)}`, {
    headers: { Upgrade: "websocket" },
  });
  if (!res.webSocket) throw new Error(`no WebSocket for ${path}: ${res.status} ${await res.text()}`);
  return new TestSocket(res.webSocket);
}

/** Waits until `check` passes (for effects that settle after a response, like D1 outbox writes). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 3000): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() - started > timeoutMs) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
