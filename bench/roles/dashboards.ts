// Manager dashboards (`/dashboard/ws?streams=calls`): hold the sockets and note when each call
// event reached each socket, keyed by the call's verification and the event, so the parent can
// join them with the moment the event was caused.
import { CountingWindow } from "../lib/clock.ts";
import { inParallel, socketUrl } from "../lib/api.ts";
import { openJsonSocket, type JsonSocket } from "./sockets.ts";
import type { RoleInstance } from "./role.ts";

export type DashboardsParams = { baseUrl: string; token: string; count: number };

export type Arrivals = {
  /** "<verification id>:<event>" → arrival times (one per socket that got it). */
  arrivals: Map<string, Float64Array>;
  frames: Record<string, number>;
  sockets: number;
  dropped: number;
};

/** Collects arrival times per key; shared by the dashboards and the Socket.IO clients. */
export function arrivalLog() {
  const log = new Map<string, number[]>();
  return {
    add: (key: string, at: number) => (log.get(key) ?? log.set(key, []).get(key)!).push(at),
    done: () => new Map([...log].map(([k, v]) => [k, Float64Array.from(v)])),
  };
}

export async function dashboards(params: DashboardsParams): Promise<RoleInstance> {
  const log = arrivalLog();
  const frames: Record<string, number> = {};
  const window = new CountingWindow();
  const onMessage = (msg: any, at: number) => {
    if (!window.open) return;
    frames[msg.type] = (frames[msg.type] ?? 0) + 1;
    if (msg.type === "call_event" && msg.call?.verification_id) log.add(`${msg.call.verification_id}:${msg.event}`, at);
  };
  const sockets: JsonSocket[] = await inParallel(
    Array.from({ length: params.count }, (_, i) => i),
    16,
    () =>
      openJsonSocket(
        socketUrl(params.baseUrl, "/dashboard/ws", params.token, { streams: "calls" }),
        onMessage,
        (m) => m.type === "initial_state",
      ),
  );
  return {
    async run(at) {
      await window.span(at);
      const dropped = sockets.filter((s) => s.dropped).length;
      for (const s of sockets) s.close();
      const result: Arrivals = { arrivals: log.done(), frames, sockets: sockets.length, dropped };
      return result;
    },
    stop: () => window.stop(),
  };
}
