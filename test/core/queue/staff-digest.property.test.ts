// The coalesced staff stream (staff-digest.ts) over random command sequences of the real
// engine: an agent's desk that hears only the digests, cut at random moments, lists exactly the
// pending calls (with their latest views) at every digest, as a desk hearing every message does;
// a call that came and went between two digests costs that desk nothing; nothing concerning an
// agent (offers, assignments, the end of their call) waits for a digest.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accept, cancel, complete, enqueue, notificationsFor, reject, start, type Outgoing } from "../../../worker/core/queue/index.ts";
import {
  agentsFrame,
  collapsePendingList,
  placeUpdates,
  queueUpdate,
  type PendingListMessage,
} from "../../../worker/core/queue/staff-digest.ts";
import { applyStaffMessage, emptyStaffQueue, type StaffQueue } from "../../../ui/src/lib/staff-queue.ts";
import type { StaffServerMessage } from "../../../worker/schemas/messages.ts";
import { config, MINUTE, newCall, Queue, SECOND } from "./support.ts";

const READINESS = { heartbeatIntervalSeconds: 30, offlineAfterSeconds: 90 };
const AGENTS = ["a1", "a2"];
const BYSTANDER = "watching-agent";
const MANAGER = { userId: "manager", manage: true };

const step = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("enqueue" as const), priority: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("accept" as const), call: fc.nat(20), agent: fc.constantFrom(...AGENTS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("reject" as const), call: fc.nat(20), agent: fc.constantFrom(...AGENTS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("start" as const), call: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("complete" as const), call: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("cancel" as const), call: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 40 * MINUTE }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("digest" as const) }) },
);

const pendingIds = (q: Queue) =>
  [...q.state.calls.values()]
    .filter((c) => c.status === "pending")
    .map((c) => c.id)
    .sort();
const listed = (desk: StaffQueue) => desk.pending.map((c) => c.id).sort();

describe("the coalesced staff stream", () => {
  it("keeps a desk that hears only digests in step with one that hears every change", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60, size: "max" }), (steps) => {
        const q = new Queue(config({ offerTimeoutSeconds: 30, ageEscalationMinutes: 10 }));
        for (const a of AGENTS) q.readyAgent(a, 2);
        const ids: string[] = [];
        let everything: StaffQueue = { ...emptyStaffQueue, synced: true };
        let digested: StaffQueue = { ...emptyStaffQueue, synced: true };
        let buffer: PendingListMessage[] = [];
        const send = (out: Outgoing[]) => {
          for (const o of out) {
            if (o.to.kind !== "staff") continue;
            everything = applyStaffMessage(everything, o.message as StaffServerMessage, BYSTANDER);
            buffer.push(o.message as PendingListMessage);
          }
        };
        const run = (command: Parameters<Queue["run"]>[0]) => {
          const t = q.run(command);
          send(notificationsFor(t.events, t.state, { now: q.now, readiness: READINESS }));
          return t;
        };
        const digest = () => {
          const listedBefore = new Set(listed(digested));
          const heard = collapsePendingList(
            buffer,
            (id) => listedBefore.has(id),
            (id) => q.state.calls.get(id)?.status === "pending",
          );
          buffer = [];
          // The desk receives the digest as its one frame (a queue_digest, or the single message).
          const frame = agentsFrame(heard, null);
          if (frame) digested = applyStaffMessage(digested, frame, BYSTANDER);
          if (heard.length > 1) expect(frame?.type).toBe("queue_digest");
          expect(listed(digested)).toEqual(pendingIds(q));
          expect(listed(everything)).toEqual(pendingIds(q));
          // Latest views, not stale ones (escalated priorities, offers).
          for (const c of digested.pending) expect(c).toEqual(everything.pending.find((e) => e.id === c.id));
          // A call the desk did not list and that is not pending now is not mentioned.
          for (const m of heard) {
            if (m.type === "queue_update") continue;
            const id = "call_id" in m ? m.call_id : m.call.id;
            expect(listedBefore.has(id) || q.state.calls.get(id)?.status === "pending", `${m.type} ${id}`).toBe(true);
          }
          return heard;
        };
        for (const s of steps) {
          const at = (n: number) => ids[n % Math.max(ids.length, 1)];
          switch (s.kind) {
            case "enqueue": {
              const call = newCall(s.priority as 0 | 1 | 2 | 3);
              ids.push(call.id);
              run((tx) => enqueue(tx, call));
              break;
            }
            case "accept":
              if (at(s.call)) run((tx) => accept(tx, { callId: at(s.call)!, agentId: s.agent, name: s.agent, sessionId: `s-${s.call}` }));
              break;
            case "reject":
              if (at(s.call)) run((tx) => reject(tx, { callId: at(s.call)!, agentId: s.agent }));
              break;
            case "start":
              if (at(s.call)) run((tx) => start(tx, { callId: at(s.call)!, actor: MANAGER, customer: true }));
              break;
            case "complete":
              if (at(s.call)) run((tx) => complete(tx, { callId: at(s.call)!, actor: MANAGER }));
              break;
            case "cancel":
              if (at(s.call)) run((tx) => cancel(tx, { callId: at(s.call)!, actor: MANAGER }));
              break;
            case "advance":
              q.now += s.ms;
              // Due deadlines (offer expiries, ageing) run with any command.
              run(() => ({ ok: true, value: null }));
              break;
            case "digest":
              digest();
              break;
          }
        }
        digest();
      }),
      { numRuns: 300 },
    );
  });

  it("costs bystanders nothing for a call offered and taken between two digests, and tells the agent at once", () => {
    const q = new Queue(config());
    q.readyAgent("a1");
    const call = newCall(1);
    const sent: Outgoing[] = [];
    const run = (command: Parameters<Queue["run"]>[0]) => {
      const t = q.run(command);
      sent.push(...notificationsFor(t.events, t.state, { now: q.now, readiness: READINESS }));
    };
    run((tx) => enqueue(tx, call));
    expect(sent.find((o) => o.message.type === "call_offered")?.to).toEqual({ kind: "user", userId: "a1" });
    q.now += 2 * SECOND;
    run((tx) => accept(tx, { callId: call.id, agentId: "a1", name: "a1", sessionId: "s1" }));
    run((tx) => start(tx, { callId: call.id, actor: MANAGER, customer: true }));
    expect(sent.filter((o) => o.to.kind === "user").map((o) => o.message.type)).toEqual(["call_offered", "call_assigned", "call_started"]);
    const staff = sent.filter((o) => o.to.kind === "staff").map((o) => o.message as PendingListMessage);
    expect(staff.map((m) => m.type)).toEqual(["new_call", "call_taken", "call_started"]);
    expect(
      collapsePendingList(
        staff,
        () => false,
        (id) => q.state.calls.get(id)?.status === "pending",
      ),
    ).toEqual([]);
  });

  it("sends the queue summary and customers' places only when they moved", () => {
    const q = new Queue(config());
    const first = q.enqueue(1);
    const second = q.enqueue(1);
    const summary = queueUpdate(q.state, q.now, null);
    expect(summary).toMatchObject({ type: "queue_update", total_pending: 2 });
    const { type: _t, ...figures } = summary as Extract<StaffServerMessage, { type: "queue_update" }>;
    q.now += 20 * SECOND; // The longest wait grows; that alone is not news.
    expect(queueUpdate(q.state, q.now, figures)).toBeNull();
    const places = placeUpdates(q.state, q.now, new Map());
    expect(places.updates.map((u) => [u.callId, (u.message as { position_in_queue: number }).position_in_queue])).toEqual([
      [first.id, 1],
      [second.id, 2],
    ]);
    expect(placeUpdates(q.state, q.now, places.keys).updates).toEqual([]);
    q.value((tx) => cancel(tx, { callId: first.id, actor: MANAGER }));
    expect(placeUpdates(q.state, q.now, places.keys).updates.map((u) => u.callId)).toEqual([second.id]);
  });
});
