// Soak agents (bench/soak.ts): each holds a staff socket (reopened if it drops), beats over it,
// is online, and answers every `call_offered` as a person might: mostly accept, start, talk for
// a while and complete with a decision; sometimes reject; now and then let the offer expire.
// Paused after missed offers, the agent goes online again. Every answer is tallied, and every
// call an agent touched is reported for the soak's ledger.
import { socketUrl } from "../lib/api.ts";
import { now, sleep, until } from "../lib/clock.ts";
import { seeded } from "../soak/random.ts";
import { countingRequest, type Tally } from "../soak/tally.ts";
import { openJsonSocket, type JsonSocket } from "./sockets.ts";
import type { RoleInstance } from "./index.ts";

export type SoakAgentsParams = {
  baseUrl: string;
  agents: { id: string; token: string }[];
  rejectShare: number;
  ignoreShare: number;
  /** Between start and complete. */
  holdMs: [number, number];
  beatEveryMs: number;
  seed: number;
};

export const DECISION_WEIGHTS = [
  ["approved", 7],
  ["rejected", 2],
  ["needs_review", 1],
] as const;

/** What one agent did with one call (an agent may meet a call more than once: reject, then a later offer). */
export type AgentCall = {
  callId: string;
  agentId: string;
  offers: number;
  rejects: number;
  ignored: number;
  /** Statuses of the agent's requests for this call, in order; 0: no answer. */
  accept: number[];
  start: number[];
  complete: number[];
  /** The decision sent with the complete that was answered 2xx. */
  decision: string | null;
  /** The completion's audit record (complete's `audit.record_id`). */
  recordId: string | null;
  /** The agent heard the call cancelled while holding it. */
  heardCancelled: boolean;
};

export type SoakAgentsResult = {
  calls: AgentCall[];
  tally: Tally;
  frames: Record<string, number>;
  beats: { sent: number; acked: number };
  reconnects: number;
  /** Times an agent found itself paused (missed offers) and went online again. */
  backOnline: number;
};

export async function soakAgents(params: SoakAgentsParams): Promise<RoleInstance> {
  const tally: Tally = {};
  const call = countingRequest(tally, params.baseUrl);
  const random = seeded(params.seed);
  const result: SoakAgentsResult = { calls: [], tally, frames: {}, beats: { sent: 0, acked: 0 }, reconnects: 0, backOnline: 0 };
  const byKey = new Map<string, AgentCall>();
  const sockets = new Map<string, JsonSocket>();
  let rejectShare = params.rejectShare;
  let ignoreShare = params.ignoreShare;
  let stopping = false;
  let active = 0;

  const entry = (agentId: string, callId: string) => {
    const key = `${agentId}:${callId}`;
    let e = byKey.get(key);
    if (!e) {
      e = {
        callId,
        agentId,
        offers: 0,
        rejects: 0,
        ignored: 0,
        accept: [],
        start: [],
        complete: [],
        decision: null,
        recordId: null,
        heardCancelled: false,
      };
      byKey.set(key, e);
      result.calls.push(e);
    }
    return e;
  };

  const post = async (token: string, path: string, json: unknown = {}) =>
    (await call(path, { token, method: "POST", json }).catch(() => null)) ?? { status: 0, body: {} };

  const online = (a: { token: string }) => post(a.token, "/video-calls/agents/status", { status: "online", max_concurrent_calls: 1 });

  async function takeCall(agent: { id: string; token: string }, callId: string) {
    const e = entry(agent.id, callId);
    active++;
    try {
      const accepted = await post(agent.token, `/video-calls/${callId}/accept`);
      e.accept.push(accepted.status);
      if (accepted.status !== 200) return;
      const started = await post(agent.token, `/video-calls/${callId}/start`);
      e.start.push(started.status);
      if (started.status !== 200) return;
      await sleep(random.between(...params.holdMs));
      if (e.heardCancelled) return;
      const decision = random.weighted(DECISION_WEIGHTS);
      const completed = await post(agent.token, `/video-calls/${callId}/complete`, { call_notes: "soak", verification_result: decision });
      e.complete.push(completed.status);
      if (completed.status === 200) {
        e.decision = decision;
        e.recordId = (completed.body.audit as { record_id?: string } | undefined)?.record_id ?? null;
      }
    } finally {
      active--;
    }
  }

  function onMessage(agent: { id: string; token: string }, msg: any) {
    result.frames[msg.type] = (result.frames[msg.type] ?? 0) + 1;
    if (msg.type === "heartbeat_ack") result.beats.acked++;
    else if (msg.type === "call_cancelled") {
      const e = byKey.get(`${agent.id}:${msg.call_id}`);
      if (e) e.heardCancelled = true;
    } else if (msg.type === "agent_status_changed" && msg.agent?.agent_id === agent.id && msg.agent.status === "away" && !stopping) {
      result.backOnline++;
      void online(agent);
    } else if (msg.type === "call_offered" && !stopping) {
      const e = entry(agent.id, msg.call_id);
      e.offers++;
      const choice = random.next();
      if (choice < rejectShare) {
        e.rejects++;
        void post(agent.token, `/video-calls/${msg.call_id}/reject`);
      } else if (choice < rejectShare + ignoreShare) e.ignored++;
      else void takeCall(agent, msg.call_id);
    }
  }

  async function connect(agent: { id: string; token: string }) {
    const socket = await openJsonSocket(
      socketUrl(params.baseUrl, "/video-calls/ws", agent.token),
      (msg) => onMessage(agent, msg),
      (msg) => msg.type === "initial_state",
    );
    sockets.set(agent.id, socket);
    socket.ws.addEventListener("close", () => {
      if (stopping || !socket.dropped) return;
      result.reconnects++;
      void (async () => {
        while (!stopping) {
          await sleep(1000);
          try {
            await connect(agent);
            await online(agent);
            return;
          } catch {
            // Try again.
          }
        }
      })();
    });
  }

  const beat = (agent: { id: string }) => {
    const socket = sockets.get(agent.id);
    if (!socket || socket.ws.readyState !== 1) return;
    result.beats.sent++;
    socket.send({ type: "heartbeat", device_connected: true });
  };

  for (const agent of params.agents) await connect(agent);
  const timers: NodeJS.Timeout[] = [];
  let finish: () => void = () => {};
  const finished = new Promise<void>((done) => (finish = done));

  return {
    async run(at) {
      await until(at);
      params.agents.forEach((agent, i) => {
        beat(agent);
        const phase = (params.beatEveryMs * i) / params.agents.length;
        timers.push(setTimeout(() => timers.push(setInterval(() => beat(agent), params.beatEveryMs)), phase));
      });
      for (const agent of params.agents) await online(agent);
      await finished;
      stopping = true;
      // Calls already taken run to their end, so that none is left assigned.
      const deadline = now() + params.holdMs[1] + 30_000;
      while (active > 0 && now() < deadline) await sleep(100);
      for (const t of timers) clearTimeout(t);
      for (const agent of params.agents) await post(agent.token, "/video-calls/agents/status", { status: "offline" });
      for (const s of sockets.values()) s.close();
      return result;
    },
    stop: () => finish(),
    /** "calm": no more rejects or ignored offers, so that the queue drains. */
    async command(body: { type: "calm" }) {
      if (body.type === "calm") [rejectShare, ignoreShare] = [0, 0];
      return { ok: true };
    },
  };
}
