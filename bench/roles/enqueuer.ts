// Puts calls in the queue: each call is a verification's submit (API.md: the automatic
// trigger: risk score, audit record, queue entry). Open loop at a fixed rate (a late answer
// never delays the next call), or closed loop as fast as `concurrency` allows (filling a deep
// queue). The verifications are prepared beforehand, or created and uploaded inline.
import { now, until } from "../lib/clock.ts";
import { prepareVerification, request } from "../lib/api.ts";
import type { RoleInstance } from "./role.ts";

export type EnqueuerParams = {
  baseUrl: string;
  /** Open loop: calls a second. Closed loop when null. */
  rate: number | null;
  /** How many calls at most. */
  count: number;
  /** Closed loop: requests in flight; also the time bound for both loops. */
  concurrency: number;
  maxMs: number;
  /** Prepared verifications (created, one document uploaded), used in order. */
  prepared: { verificationId: string; token: string }[] | null;
  /** Else each call creates its own verification first, as one of these customers. */
  customers: string[];
  /** Fan-out: cancel each call as soon as it is queued, as this manager. */
  cancelAs: string | null;
};

/** One request: its key (the verification id), when it was sent and answered (shared clock). */
export type Sent = { key: string; sentAt: number; doneAt: number; status: number; callId?: string };

export type EnqueuerResult = { submits: Sent[]; cancels: Sent[]; prepFailures: number };

export async function enqueuer(params: EnqueuerParams): Promise<RoleInstance> {
  const { baseUrl } = params;
  const result: EnqueuerResult = { submits: [], cancels: [], prepFailures: 0 };
  let stopped = false;

  async function one(i: number) {
    let item = params.prepared?.[i];
    if (!item) {
      const token = params.customers[i % params.customers.length]!;
      try {
        item = { verificationId: await prepareVerification(baseUrl, token), token };
      } catch {
        result.prepFailures++;
        return;
      }
    }
    const sentAt = now();
    const sent: Sent = { key: item.verificationId, sentAt, doneAt: sentAt, status: 0 };
    try {
      const answer = await request(baseUrl, `/verifications/${item.verificationId}/submit`, { token: item.token, method: "POST" });
      sent.status = answer.status;
      if (answer.body.call_id) sent.callId = answer.body.call_id;
    } catch {
      sent.status = -1;
    }
    sent.doneAt = now();
    result.submits.push(sent);
    if (params.cancelAs && sent.callId) {
      const c: Sent = { key: item.verificationId, sentAt: now(), doneAt: 0, status: 0, callId: sent.callId };
      try {
        c.status = (await request(baseUrl, `/video-calls/${sent.callId}/cancel`, { token: params.cancelAs, method: "POST" })).status;
      } catch {
        c.status = -1;
      }
      c.doneAt = now();
      result.cancels.push(c);
    }
  }

  return {
    async run(at) {
      await until(at);
      const deadline = at + params.maxMs;
      const count = params.prepared ? Math.min(params.count, params.prepared.length) : params.count;
      if (params.rate) {
        const inFlight: Promise<void>[] = [];
        for (let i = 0; i < count && !stopped; i++) {
          const due = at + (i * 1000) / params.rate;
          if (due > deadline) break;
          await until(due);
          inFlight.push(one(i));
        }
        await Promise.all(inFlight);
      } else {
        let next = 0;
        await Promise.all(
          Array.from({ length: params.concurrency }, async () => {
            while (!stopped && next < count && now() < deadline) await one(next++);
          }),
        );
      }
      return result;
    },
    stop() {
      stopped = true;
    },
  };
}
