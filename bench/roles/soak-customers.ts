// Soak customers (bench/soak.ts): open loop, each flow one verification: create, upload one or
// more documents, submit (the call is queued), wait in the waiting room socket until the call
// ends; some cancel after a while, whatever state the call is in by then. Every answer is
// tallied, and each flow reports what the customer did and heard, for the soak's ledger.
import { socketUrl, tinyPng } from "../lib/api.ts";
import { now, sleep, until } from "../lib/clock.ts";
import { seeded } from "../soak/random.ts";
import { countingRequest, type Tally } from "../soak/tally.ts";
import { openJsonSocket, type JsonSocket } from "./sockets.ts";
import type { RoleInstance } from "./index.ts";

export type SoakCustomersParams = {
  baseUrl: string;
  customers: { id: string; token: string }[];
  /** Flows this process starts a minute (open loop: a slow answer never delays the next flow). */
  perMinute: number;
  /** Share of flows whose customer cancels after `cancelAfterMs`. */
  cancelShare: number;
  cancelAfterMs: [number, number];
  documents: [number, number];
  /** A flow stops waiting for its call's end after this long (the ledger then finds the call open). */
  waitLimitMs: number;
  /** How often a waiting customer also asks for the call, should the room miss an event. */
  pollEveryMs: number;
  seed: number;
};

/** One customer's verification, as the customer saw it. */
export type Flow = {
  customerId: string;
  verificationId: string | null;
  /** audit_record_id of each document the server accepted. */
  documentRecords: string[];
  submitStatus: number | null;
  callId: string | null;
  /** The customer's cancel, when they sent one: its status (0: no answer). */
  cancelStatus: number | null;
  /** Waiting-room message types in arrival order (repeated position updates once). */
  heard: string[];
  /** How the customer learned that the call ended. */
  endedBy: "room" | "poll" | "timeout" | null;
  roomDropped: boolean;
};

export type SoakCustomersResult = { flows: Flow[]; tally: Tally };

const TERMINAL = new Set(["completed", "cancelled", "abandoned"]);
const DOC_TYPES = ["passport", "id_card", "driver_license", "selfie", "proof_of_address"] as const;

export async function soakCustomers(params: SoakCustomersParams): Promise<RoleInstance> {
  const tally: Tally = {};
  const call = countingRequest(tally, params.baseUrl);
  const random = seeded(params.seed);
  const flows: Flow[] = [];
  let stopped = false;

  async function upload(token: string, verificationId: string, docType: string): Promise<string | null> {
    const form = new FormData();
    form.set("doc_type", docType);
    form.set("file", new File([tinyPng()], `${docType}.png`, { type: "image/png" }));
    const answer = await call(`/verifications/${verificationId}/documents`, { token, body: form }).catch(() => null);
    return answer?.status === 201 ? (answer.body.audit_record_id as string) : null;
  }

  /** Resolves when the call has ended (room message or poll) or the wait limit passed. */
  async function waitForEnd(flow: Flow, token: string, callId: string, onRoomEnd: Promise<void>) {
    const deadline = now() + params.waitLimitMs;
    let ended = false;
    void onRoomEnd.then(() => {
      if (!ended) flow.endedBy = "room";
      ended = true;
    });
    while (!ended && now() < deadline) {
      await Promise.race([onRoomEnd, sleep(Math.min(params.pollEveryMs, Math.max(0, deadline - now())))]);
      if (ended) break;
      const answer = await call(`/video-calls/${callId}`, { token }).catch(() => null);
      if (answer?.status === 200 && TERMINAL.has(answer.body.status as string) && !ended) {
        ended = true;
        flow.endedBy = "poll";
      }
    }
    if (!ended) flow.endedBy = "timeout";
    ended = true;
  }

  async function one(i: number) {
    const customer = params.customers[i % params.customers.length]!;
    const { token } = customer;
    const flow: Flow = {
      customerId: customer.id,
      verificationId: null,
      documentRecords: [],
      submitStatus: null,
      callId: null,
      cancelStatus: null,
      heard: [],
      endedBy: null,
      roomDropped: false,
    };
    flows.push(flow);
    const created = await call("/verifications", {
      token,
      json: { user_info: { name: `Soak Customer ${i}`, email: "soak@demo.test", date_of_birth: "1990-01-31" } },
    }).catch(() => null);
    if (created?.status !== 201) return;
    const verificationId = created.body.id as string;
    flow.verificationId = verificationId;
    const docs = random.between(...params.documents);
    for (let d = 0; d < docs; d++) {
      const record = await upload(token, verificationId, DOC_TYPES[d % DOC_TYPES.length]!);
      if (record) flow.documentRecords.push(record);
    }
    const submitted = await call(`/verifications/${verificationId}/submit`, { token, method: "POST" }).catch(() => null);
    flow.submitStatus = submitted?.status ?? 0;
    if (submitted?.status !== 200) return;
    const callId = submitted.body.call_id as string;
    flow.callId = callId;

    let roomEnded: () => void = () => {};
    const onRoomEnd = new Promise<void>((done) => (roomEnded = done));
    const hear = (msg: { type: string }) => {
      if (msg.type !== flow.heard.at(-1) || msg.type !== "position_update") flow.heard.push(msg.type);
      if (msg.type === "call_completed" || msg.type === "call_cancelled") roomEnded();
    };
    let room: JsonSocket | null = null;
    try {
      room = await openJsonSocket(socketUrl(params.baseUrl, `/video-calls/${callId}/ws`, token), hear, (m) => m.type === "connected");
    } catch {
      // The call may have ended before the room opened; the poll below still sees its end.
    }
    const cancels = random.chance(params.cancelShare);
    const cancelAfter = random.between(...params.cancelAfterMs);
    const cancelling = cancels
      ? (async () => {
          await Promise.race([onRoomEnd, sleep(cancelAfter)]);
          if (flow.heard.includes("call_completed") || flow.heard.includes("call_cancelled")) return;
          const answer = await call(`/video-calls/${callId}/cancel`, { token, method: "POST" }).catch(() => null);
          flow.cancelStatus = answer?.status ?? 0;
        })()
      : Promise.resolve();
    await waitForEnd(flow, token, callId, onRoomEnd);
    await cancelling;
    if (room) {
      flow.roomDropped = room.dropped;
      room.close();
    }
  }

  return {
    async run(at) {
      await until(at);
      const inFlight: Promise<void>[] = [];
      for (let i = 0; !stopped; i++) {
        await until(at + (i * 60_000) / params.perMinute);
        if (stopped) break;
        inFlight.push(one(i));
      }
      await Promise.all(inFlight);
      const result: SoakCustomersResult = { flows, tally };
      return result;
    },
    stop() {
      stopped = true;
    },
  };
}
