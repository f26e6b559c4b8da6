// One request at a time, on command from the parent, which reads workerd's CPU time before and
// after each batch (costs and floor scenarios): the CPU a single request costs on an idle server.
import { now } from "../lib/clock.ts";
import { request, socketUrl } from "../lib/api.ts";
import { openJsonSocket } from "./sockets.ts";
import type { RoleInstance } from "./role.ts";

export type SequenceCommand =
  /** `n` GETs of an absolute URL (the floor worker, /api/v1/health). */
  | { op: "get"; url: string; n: number }
  /** `n` JSON POSTs to `/api/v1<path>`. */
  | { op: "post"; baseUrl: string; path: string; token: string; json: unknown; n: number }
  /** Submits each prepared verification (an enqueue each). */
  | { op: "submit"; baseUrl: string; items: { verificationId: string; token: string }[] }
  /** Full call cycles with one agent online: submit, the offer arrives, accept, start, complete. */
  | { op: "cycles"; baseUrl: string; agent: { id: string; token: string }; items: { verificationId: string; token: string }[] };

export type SequenceResult = { latency: number[]; failures: number; requests: number };

export async function sequence(): Promise<RoleInstance> {
  const time = async (out: SequenceResult, send: () => Promise<number>) => {
    const started = now();
    try {
      const status = await send();
      out.requests++;
      if (status >= 300) out.failures++;
      else out.latency.push(now() - started);
    } catch {
      out.failures++;
    }
  };
  return {
    async run() {
      return null;
    },
    async command(cmd: SequenceCommand): Promise<SequenceResult> {
      const out: SequenceResult = { latency: [], failures: 0, requests: 0 };
      switch (cmd.op) {
        case "get":
          for (let i = 0; i < cmd.n; i++)
            await time(out, async () => {
              const res = await fetch(cmd.url);
              await res.arrayBuffer();
              return res.status;
            });
          return out;
        case "post":
          for (let i = 0; i < cmd.n; i++)
            await time(out, async () => (await request(cmd.baseUrl, cmd.path, { token: cmd.token, json: cmd.json })).status);
          return out;
        case "submit":
          for (const item of cmd.items)
            await time(
              out,
              async () =>
                (await request(cmd.baseUrl, `/verifications/${item.verificationId}/submit`, { token: item.token, method: "POST" })).status,
            );
          return out;
        case "cycles":
          return cycles(cmd, out);
      }
    },
  };
}

async function cycles(cmd: Extract<SequenceCommand, { op: "cycles" }>, out: SequenceResult): Promise<SequenceResult> {
  const { baseUrl, agent } = cmd;
  let offered: (callId: string) => void = () => {};
  const socket = await openJsonSocket(
    socketUrl(baseUrl, "/video-calls/ws", agent.token),
    (msg) => {
      if (msg.type === "call_offered") offered(msg.call_id);
    },
    (msg) => msg.type === "initial_state",
  );
  socket.send({ type: "heartbeat", device_connected: true });
  const post = (path: string, token: string, json?: unknown) => request(baseUrl, path, { token, method: "POST", json: json ?? {} });
  await post("/video-calls/agents/status", agent.token, { status: "online", max_concurrent_calls: 1 });
  try {
    for (const item of cmd.items) {
      const started = now();
      const offer = new Promise<string>((done, fail) => {
        const timer = setTimeout(() => fail(new Error("no call_offered within 10 s")), 10_000);
        offered = (id) => {
          clearTimeout(timer);
          done(id);
        };
      });
      const submit = await post(`/verifications/${item.verificationId}/submit`, item.token);
      let callId: string;
      try {
        callId = await offer;
      } catch {
        out.failures++;
        continue;
      }
      const steps = [
        submit,
        await post(`/video-calls/${callId}/accept`, agent.token),
        await post(`/video-calls/${callId}/start`, agent.token),
        await post(`/video-calls/${callId}/complete`, agent.token, { call_notes: "bench", verification_result: "approved" }),
      ];
      out.requests += steps.length;
      if (steps.some((s) => s.status >= 300)) out.failures++;
      else out.latency.push(now() - started);
    }
  } finally {
    await post("/video-calls/agents/status", agent.token, { status: "offline" });
    socket.close();
  }
  return out;
}
