// Agents beating over HTTP (`POST /agents/heartbeat`), open loop at a fixed rate, the agents
// taken in turn.
import { now, until } from "../lib/clock.ts";
import { request } from "../lib/api.ts";
import type { RoleInstance } from "./role.ts";

export type HttpHeartbeatsParams = { baseUrl: string; tokens: string[]; rate: number; durationMs: number };
export type HttpHeartbeatsResult = { sent: number; ok: number; failures: Record<string, number>; latency: number[] };

export async function httpHeartbeats(params: HttpHeartbeatsParams): Promise<RoleInstance> {
  const result: HttpHeartbeatsResult = { sent: 0, ok: 0, failures: {}, latency: [] };
  const beat = async (token: string) => {
    const started = now();
    result.sent++;
    try {
      const answer = await request(params.baseUrl, "/agents/heartbeat", { token, json: { device_connected: true } });
      if (answer.status < 300) {
        result.ok++;
        result.latency.push(now() - started);
      } else result.failures[answer.status] = (result.failures[answer.status] ?? 0) + 1;
    } catch {
      result.failures.network = (result.failures.network ?? 0) + 1;
    }
  };
  return {
    async run(at) {
      const count = Math.floor((params.rate * params.durationMs) / 1000);
      const inFlight: Promise<void>[] = [];
      for (let i = 0; i < count; i++) {
        await until(at + (i * 1000) / params.rate);
        inFlight.push(beat(params.tokens[i % params.tokens.length]!));
      }
      await Promise.all(inFlight);
      return result;
    },
  };
}
