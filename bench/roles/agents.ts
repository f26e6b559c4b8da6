// KYC agents: each holds its staff socket (`/video-calls/ws`), beats over it, goes online, and
// on every `call_offered` accepts, starts and (after `callMs`) completes the call over HTTP, as
// the dashboard does. Records when each offer arrived, every request's latency, the frames the
// sockets received, and heartbeat round trips.
import { now, sleep, until } from "../lib/clock.ts";
import { inParallel, request, socketUrl } from "../lib/api.ts";
import { openJsonSocket, type JsonSocket } from "./sockets.ts";
import type { RoleInstance } from "./role.ts";

export type AgentsParams = {
  baseUrl: string;
  agents: { id: string; token: string }[];
  /** Accept, start and complete each offer (false: only hold the socket and beat). */
  takeCalls: boolean;
  /** Between start and complete. */
  callMs: number;
  /** "setup": online before the run starts; "go": at the shared start instant (so offers of a
   * queue that is already deep are part of the run); "never": they only hold sockets and beat. */
  onlineAt: "setup" | "go" | "never";
  /** Each agent beats over its socket this often during the run; null: every 20 s, to stay fresh. */
  beatEveryMs: number | null;
};

export type Offer = { callId: string; verificationId: string; agentId: string; at: number };

export type AgentsResult = {
  offers: Offer[];
  /** Latency (ms) of each request kind. */
  latency: Record<string, number[]>;
  /** "accept 409" → count. */
  failures: Record<string, number>;
  /** Frames received during the run, by type. */
  frames: Record<string, number>;
  /** Complete request sent → the same agent's next offer, ms (dispatch of a waiting call). */
  redispatchMs: number[];
  beats: { sent: number; acked: number; latency: number[] };
  cycles: number;
  dropped: number;
  /** HTTP requests and socket messages sent during the run. */
  requests: number;
  messages: number;
};

const KEEPALIVE_MS = 20_000;

export async function agents(params: AgentsParams): Promise<RoleInstance> {
  const { baseUrl } = params;
  const result: AgentsResult = {
    offers: [],
    latency: {},
    failures: {},
    frames: {},
    redispatchMs: [],
    beats: { sent: 0, acked: 0, latency: [] },
    cycles: 0,
    dropped: 0,
    requests: 0,
    messages: 0,
  };
  let counting = false;
  let stopping = false;
  let active = 0;
  const lastComplete = new Map<string, number>();
  const beatQueues = new Map<string, number[]>();
  const sockets = new Map<string, JsonSocket>();

  const timed = async (kind: string, token: string, path: string, json?: unknown) => {
    const started = now();
    if (counting) result.requests++;
    try {
      const answer = await request(baseUrl, path, { token, method: "POST", json: json ?? {} });
      if (counting) (result.latency[kind] ??= []).push(now() - started);
      if (answer.status >= 300) result.failures[`${kind} ${answer.status}`] = (result.failures[`${kind} ${answer.status}`] ?? 0) + 1;
      return answer.status < 300;
    } catch {
      result.failures[`${kind} network`] = (result.failures[`${kind} network`] ?? 0) + 1;
      return false;
    }
  };

  async function takeCall(agent: { id: string; token: string }, callId: string) {
    active++;
    try {
      if (!(await timed("accept", agent.token, `/video-calls/${callId}/accept`))) return;
      if (!(await timed("start", agent.token, `/video-calls/${callId}/start`))) return;
      if (params.callMs) await sleep(params.callMs);
      lastComplete.set(agent.id, now());
      if (await timed("complete", agent.token, `/video-calls/${callId}/complete`, { call_notes: "bench", verification_result: "approved" }))
        result.cycles++;
    } finally {
      active--;
    }
  }

  function onMessage(agent: { id: string; token: string }, msg: any, at: number) {
    if (counting) result.frames[msg.type] = (result.frames[msg.type] ?? 0) + 1;
    if (msg.type === "heartbeat_ack") {
      const sent = beatQueues.get(agent.id)?.shift();
      if (sent !== undefined && counting) {
        result.beats.acked++;
        result.beats.latency.push(at - sent);
      }
    } else if (msg.type === "call_offered" && counting) {
      result.offers.push({ callId: msg.call_id, verificationId: msg.call?.verification_id ?? "", agentId: agent.id, at });
      const freed = lastComplete.get(agent.id);
      if (freed !== undefined) {
        result.redispatchMs.push(at - freed);
        lastComplete.delete(agent.id);
      }
      if (params.takeCalls && !stopping) void takeCall(agent, msg.call_id);
    }
  }

  const beat = (agent: { id: string }) => {
    const socket = sockets.get(agent.id);
    if (!socket || socket.ws.readyState !== 1) return;
    (beatQueues.get(agent.id) ?? beatQueues.set(agent.id, []).get(agent.id)!).push(now());
    if (counting) {
      result.beats.sent++;
      result.messages++;
    }
    socket.send({ type: "heartbeat", device_connected: true });
  };

  const goOnline = () =>
    inParallel(params.agents, 16, (a) =>
      timed("status", a.token, "/video-calls/agents/status", { status: "online", max_concurrent_calls: 1 }),
    );

  // Setup: every socket open and fresh (one beat acknowledged), then online if asked.
  await inParallel(params.agents, 16, async (agent) => {
    const socket = await openJsonSocket(
      socketUrl(baseUrl, "/video-calls/ws", agent.token),
      (msg, at) => onMessage(agent, msg, at),
      (msg) => msg.type === "initial_state",
    );
    sockets.set(agent.id, socket);
    beatQueues.set(agent.id, [now()]);
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`agent ${agent.id}: no heartbeat_ack within 30 s`)), 30_000);
      const acked = (event: MessageEvent) => {
        if (String(event.data).includes('"heartbeat_ack"')) {
          socket.ws.removeEventListener("message", acked);
          clearTimeout(timer);
          done();
        }
      };
      socket.ws.addEventListener("message", acked);
      socket.send({ type: "heartbeat", device_connected: true });
    });
  });
  if (params.onlineAt === "setup") await goOnline();

  let finish: () => void = () => {};
  const finished = new Promise<void>((done) => (finish = done));
  const timers: NodeJS.Timeout[] = [];

  return {
    async run(at) {
      await until(at);
      counting = true;
      const every = params.beatEveryMs ?? KEEPALIVE_MS;
      // Each agent on its own phase, so the beats are spread evenly over the interval.
      params.agents.forEach((agent, i) => {
        const phase = (every * i) / params.agents.length;
        timers.push(
          setTimeout(() => {
            beat(agent);
            timers.push(setInterval(() => beat(agent), every));
          }, phase),
        );
      });
      if (params.onlineAt === "go") await goOnline();
      await finished;
      for (const t of timers) clearTimeout(t);
      // Calls already taken run to their end, so no call is left assigned.
      const deadline = now() + params.callMs + 15_000;
      while (active > 0 && now() < deadline) await sleep(50);
      counting = false;
      if (params.onlineAt !== "never")
        await inParallel(params.agents, 16, (a) => timed("status", a.token, "/video-calls/agents/status", { status: "offline" }));
      for (const s of sockets.values()) {
        if (s.dropped) result.dropped++;
        s.close();
      }
      return result;
    },
    stop() {
      stopping = true;
      finish();
    },
  };
}
