import { describe, expect, it } from "vitest";
import {
  accept,
  assign,
  bestAgentFor,
  cancel,
  complete,
  dailyReset,
  enqueue,
  nextDeadline,
  pendingInOrder,
  presenceChanged,
  queuePositions,
  reject,
  setAgentStatus,
  start,
} from "../../../worker/core/queue/index.ts";
import { config, heard, MINUTE, newCall, Queue, SECOND, silent } from "./support.ts";

const manager = { userId: "manager", manage: true };

describe("queue order", () => {
  it("serves urgent, high, normal, low, and oldest first within a priority", () => {
    const q = new Queue();
    const low = q.enqueue(0);
    q.now += 1;
    const normal1 = q.enqueue(1);
    q.now += 1;
    const urgent = q.enqueue(3);
    q.now += 1;
    const normal2 = q.enqueue(1);
    q.now += 1;
    const high = q.enqueue(2);
    expect(pendingInOrder(q.state.calls.values()).map((c) => c.id)).toEqual([urgent.id, high.id, normal1.id, normal2.id, low.id]);
  });

  it("keeps one open call per verification", () => {
    const q = new Queue();
    const first = q.enqueue(1, { verificationId: "v-1" });
    const { outcome } = q.run((tx) => enqueue(tx, newCall(1, { verificationId: "v-1" })));
    expect(outcome).toMatchObject({ ok: false, error: { status: 409, code: "call_already_open", details: { call_id: first.id } } });
  });
});

describe("offers", () => {
  it("offers a new call to a ready agent at once, reserved until the offer expires", () => {
    const q = new Queue();
    q.readyAgent("a1");
    const call = q.enqueue();
    expect(q.call(call.id)!.offer).toMatchObject({ agentId: "a1", expiresAt: q.now + 30 * SECOND });
  });

  it("assigns the call when the offered agent accepts", () => {
    const q = new Queue();
    q.readyAgent("a1");
    const call = q.enqueue();
    const taken = q.value((tx) => accept(tx, { callId: call.id, agentId: "a1", name: "a1", sessionId: "s1" }));
    expect(taken).toMatchObject({ status: "assigned", assignedAgentId: "a1", sessionId: "s1", offer: null });
    expect(q.agent("a1").activeCallIds).toEqual([call.id]);
  });

  it("refuses an agent the call is not offered to while the offer is open (409)", () => {
    const q = new Queue();
    q.readyAgent("a1");
    const call = q.enqueue();
    const { outcome } = q.run((tx) => accept(tx, { callId: call.id, agentId: "a2", name: "a2", sessionId: "s" }));
    expect(outcome).toMatchObject({ ok: false, error: { status: 409, code: "call_offered_to_another_agent" } });
  });

  it("returns a rejected call to its old place and offers it to the next agent", () => {
    const q = new Queue();
    q.readyAgent("a1");
    const first = q.enqueue(1);
    q.now += 1000;
    const second = q.enqueue(1);
    q.readyAgent("a2");
    expect(q.call(second.id)!.offer?.agentId).toBe("a2");
    q.value((tx) => reject(tx, { callId: first.id, agentId: "a1" }));
    // a1 is now free but declined `first`, so `first` waits for a2 or the cooldown; meanwhile
    // the queue order is unchanged: `first` is still ahead of `second`.
    expect(pendingInOrder(q.state.calls.values()).map((c) => c.id)).toEqual([first.id, second.id]);
    q.value((tx) => reject(tx, { callId: second.id, agentId: "a2" }));
    expect(q.call(first.id)!.offer?.agentId).toBe("a2");
    expect(q.call(second.id)!.offer?.agentId).toBe("a1");
  });

  it("offers an expired call to the next agent and keeps its place", () => {
    const q = new Queue();
    q.readyAgent("a1");
    const call = q.enqueue();
    q.readyAgent("a2");
    const { enqueuedAt, seq } = q.call(call.id)!;
    q.advance(30 * SECOND);
    expect(q.call(call.id)).toMatchObject({ enqueuedAt, seq, offer: { agentId: "a2" } });
    expect(q.state.counters.offersExpired).toBe(1);
  });

  it("pauses an agent who lets MAX_MISSED_OFFERS offers in a row expire", () => {
    const q = new Queue(config({ maxMissedOffers: 2, declineCooldownSeconds: 0 }));
    q.readyAgent("a1");
    q.enqueue();
    q.advance(30 * SECOND);
    expect(q.agent("a1")).toMatchObject({ status: "online", missedOffersInRow: 1 });
    q.advance(30 * SECOND);
    expect(q.agent("a1")).toMatchObject({ status: "away", missedOffersInRow: 2 });
  });

  it("resets the missed-offer streak when the agent answers", () => {
    const q = new Queue(config({ declineCooldownSeconds: 0 }));
    q.readyAgent("a1");
    const call = q.enqueue();
    q.advance(30 * SECOND);
    q.value((tx) => reject(tx, { callId: call.id, agentId: "a1" }));
    expect(q.agent("a1").missedOffersInRow).toBe(0);
  });

  it("never offers more calls than an agent's capacity", () => {
    const q = new Queue();
    q.readyAgent("a1", 2);
    const calls = [q.enqueue(), q.enqueue(), q.enqueue()];
    expect(calls.map((c) => q.call(c.id)!.offer?.agentId)).toEqual(["a1", "a1", undefined]);
  });

  it("lets an agent take a pending call from the list, releasing an offer that would exceed capacity", () => {
    const q = new Queue();
    q.readyAgent("a1");
    const offered = q.enqueue(2);
    q.readyAgent("busy");
    q.value((tx) => setAgentStatus(tx, { agentId: "busy", name: "busy", status: "busy" }));
    const other = q.enqueue(1);
    expect(q.call(other.id)!.offer).toBeNull();
    q.value((tx) => accept(tx, { callId: other.id, agentId: "a1", name: "a1", sessionId: "s" }));
    expect(q.call(other.id)!.status).toBe("assigned");
    expect(q.call(offered.id)!.offer).toBeNull();
  });

  it("answers 409 to the second of two agents accepting the same call", () => {
    const q = new Queue();
    const call = q.enqueue();
    q.value((tx) => accept(tx, { callId: call.id, agentId: "a1", name: "a1", sessionId: "s1" }));
    const { outcome } = q.run((tx) => accept(tx, { callId: call.id, agentId: "a2", name: "a2", sessionId: "s2" }));
    expect(outcome).toMatchObject({ ok: false, error: { status: 409, code: "call_already_taken" } });
  });
});

describe("presence", () => {
  it("releases an agent's offers when they go offline, but not their calls in progress", () => {
    const q = new Queue();
    q.readyAgent("a1", 2);
    const active = q.enqueue();
    q.value((tx) => accept(tx, { callId: active.id, agentId: "a1", name: "a1", sessionId: "s" }));
    q.value((tx) => start(tx, { callId: active.id, actor: { userId: "a1", manage: false }, customer: false }));
    const offered = q.enqueue();
    expect(q.call(offered.id)!.offer?.agentId).toBe("a1");
    q.value((tx) => presenceChanged(tx, { agentId: "a1", presence: silent(q.now) }));
    expect(q.agent("a1").status).toBe("offline");
    expect(q.call(offered.id)!.offer).toBeNull();
    expect(q.call(active.id)).toMatchObject({ status: "in_progress", assignedAgentId: "a1" });
  });

  it("offers only to ready agents with enhanced discovery", () => {
    const q = new Queue();
    q.value((tx) => setAgentStatus(tx, { agentId: "no-beat", name: "x", status: "online" }));
    const call = q.enqueue();
    expect(q.call(call.id)!.offer).toBeNull();
    q.value((tx) => presenceChanged(tx, { agentId: "no-beat", presence: heard(q.now, { deviceConnected: false }) }));
    expect(q.call(call.id)!.offer).toBeNull();
    q.value((tx) => presenceChanged(tx, { agentId: "no-beat", presence: heard(q.now) }));
    expect(q.call(call.id)!.offer?.agentId).toBe("no-beat");
  });

  it("falls back to the best online agent when none is ready, and counts it", () => {
    const q = new Queue(
      config({ features: { agentHeartbeat: true, deviceConnectivity: true, enhancedDiscovery: true, discoveryFallback: true } }),
    );
    q.value((tx) => setAgentStatus(tx, { agentId: "stale", name: "x", status: "online" }));
    const call = q.enqueue();
    expect(q.call(call.id)!.offer).toMatchObject({ agentId: "stale", fallback: true });
    expect(q.state.counters.fallbackOffers).toBe(1);
  });

  it("ignores heartbeats and devices with enhanced discovery off", () => {
    const q = new Queue(
      config({ features: { agentHeartbeat: true, deviceConnectivity: true, enhancedDiscovery: false, discoveryFallback: false } }),
    );
    q.value((tx) => setAgentStatus(tx, { agentId: "legacy", name: "x", status: "online" }));
    expect(q.call(q.enqueue().id)!.offer).toMatchObject({ agentId: "legacy", fallback: false });
  });
});

describe("ageing", () => {
  it("raises a waiting call one level per AGE_ESCALATION_MINUTES, at most to urgent", () => {
    const q = new Queue();
    const call = q.enqueue(0);
    q.advance(29 * MINUTE);
    expect(q.call(call.id)!.priority).toBe(0);
    q.advance(1 * MINUTE);
    expect(q.call(call.id)!.priority).toBe(1);
    q.advance(120 * MINUTE);
    expect(q.call(call.id)!).toMatchObject({ priority: 3, initialPriority: 0 });
  });

  it("moves an aged call ahead of newer calls of its old priority", () => {
    const q = new Queue();
    const old = q.enqueue(1);
    q.now += 10 * MINUTE;
    const fresher = q.enqueue(2);
    q.advance(20 * MINUTE);
    expect(pendingInOrder(q.state.calls.values()).map((c) => c.id)).toEqual([old.id, fresher.id]);
  });

  it("schedules the next escalation as a deadline", () => {
    const q = new Queue();
    q.enqueue(1);
    expect(nextDeadline(q.state, q.config)).toBe(q.now + 30 * MINUTE);
  });
});

describe("call lifecycle", () => {
  /** A call the agent accepted but has not started. */
  function assignedCall(q: Queue, agentId = "a1") {
    q.readyAgent(agentId);
    const call = q.enqueue();
    q.value((tx) => accept(tx, { callId: call.id, agentId, name: agentId, sessionId: "s" }));
    return call;
  }

  /** A call under way: accepted and started by its agent. */
  function takenCall(q: Queue, agentId = "a1") {
    const call = assignedCall(q, agentId);
    q.value((tx) => start(tx, { callId: call.id, actor: { userId: agentId, manage: false }, customer: false }));
    return call;
  }

  it("frees the agent on completion and offers the next call at once", () => {
    const q = new Queue();
    const first = takenCall(q);
    const next = q.enqueue();
    expect(q.call(next.id)!.offer).toBeNull();
    q.now += 5 * MINUTE;
    const { value } = q.run((tx) => complete(tx, { callId: first.id, actor: { userId: "a1", manage: false } })).outcome as {
      value: { durationSeconds: number };
    };
    expect(value.durationSeconds).toBe(300);
    expect(q.call(first.id)).toBeUndefined();
    expect(q.agent("a1")).toMatchObject({ activeCallIds: [], callsToday: 1, completedCalls: 1, totalCallSeconds: 300 });
    expect(q.call(next.id)!.offer?.agentId).toBe("a1");
  });

  it("holds new offers during wrap-up", () => {
    const q = new Queue(config({ wrapUpSeconds: 20 }));
    const first = takenCall(q);
    q.value((tx) => complete(tx, { callId: first.id, actor: { userId: "a1", manage: false } }));
    const next = q.enqueue();
    expect(q.call(next.id)!.offer).toBeNull();
    q.advance(20 * SECOND);
    expect(q.call(next.id)!.offer?.agentId).toBe("a1");
  });

  it("lets only the assigned agent complete, and only once the call started", () => {
    const q = new Queue();
    const call = takenCall(q);
    const other = q.run((tx) => complete(tx, { callId: call.id, actor: { userId: "a2", manage: false } }));
    expect(other.outcome).toMatchObject({ ok: false, error: { status: 403, code: "not_assigned_agent" } });
    // A manager is not the agent who saw the customer: overrides are a separate, audited action.
    expect(q.run((tx) => complete(tx, { callId: call.id, actor: manager })).outcome).toMatchObject({ ok: false, error: { status: 403 } });
    expect(q.run((tx) => complete(tx, { callId: call.id, actor: { userId: "a1", manage: false } })).outcome.ok).toBe(true);
  });

  it("refuses a decision before the call started, with 409 for the assigned agent", () => {
    const q = new Queue();
    q.readyAgent("a1");
    const call = q.enqueue();
    const early = q.run((tx) => complete(tx, { callId: call.id, actor: { userId: "a1", manage: false } }));
    expect(early.outcome).toMatchObject({ ok: false, error: { status: 403 } });
    q.value((tx) => accept(tx, { callId: call.id, agentId: "a1", name: "a1", sessionId: "s" }));
    const assigned = q.run((tx) => complete(tx, { callId: call.id, actor: { userId: "a1", manage: false } }));
    expect(assigned.outcome).toMatchObject({ ok: false, error: { status: 409, code: "call_not_started" } });
    expect(assigned.events).toEqual([]);
    expect(q.call(call.id)!.status).toBe("assigned");
  });

  it("closes a call left open past VIDEO_CALL_TIMEOUT_MINUTES as abandoned", () => {
    const q = new Queue();
    const call = takenCall(q);
    const { events } = q.advance(30 * MINUTE);
    expect(events).toContainEqual(expect.objectContaining({ type: "finished", status: "abandoned", reason: "timeout" }));
    expect(q.call(call.id)).toBeUndefined();
    expect(q.agent("a1").activeCallIds).toEqual([]);
  });

  it("times a started call from its start, so a long conversation is not cut off at assignment + timeout", () => {
    const q = new Queue();
    const call = assignedCall(q);
    q.advance(20 * MINUTE);
    q.value((tx) => start(tx, { callId: call.id, actor: { userId: "a1", manage: false }, customer: false }));
    q.advance(15 * MINUTE);
    expect(q.call(call.id)!.status).toBe("in_progress");
    const { events } = q.advance(15 * MINUTE);
    expect(events).toContainEqual(expect.objectContaining({ type: "finished", status: "abandoned", reason: "timeout" }));
  });

  it("lets the customer cancel their own waiting call", () => {
    const q = new Queue();
    const call = q.enqueue();
    const { events } = q.run((tx) => cancel(tx, { callId: call.id, actor: { userId: call.customerId, manage: false } }));
    expect(events).toContainEqual(expect.objectContaining({ type: "finished", status: "cancelled", reason: "customer_cancelled" }));
  });

  it("refuses cancellation by another customer", () => {
    const q = new Queue();
    const call = q.enqueue();
    expect(q.run((tx) => cancel(tx, { callId: call.id, actor: { userId: "someone", manage: false } })).outcome.ok).toBe(false);
  });

  it("lets a manager assign to a named agent or to the scorer's pick", () => {
    const q = new Queue();
    q.readyAgent("a1");
    q.readyAgent("a2");
    q.value((tx) => setAgentStatus(tx, { agentId: "a1", name: "a1", status: "busy" }));
    const call = q.enqueue();
    expect(q.call(call.id)!.offer?.agentId).toBe("a2");
    const named = q.value((tx) => assign(tx, { callId: call.id, agent: { id: "a1", name: "a1" }, sessionId: "s" }, bestAgentFor));
    expect(named).toMatchObject({ assignedAgentId: "a1", offer: null });
    const other = q.enqueue();
    q.value((tx) => reject(tx, { callId: other.id, agentId: "a2" }));
    const picked = q.value((tx) => assign(tx, { callId: other.id, sessionId: "s2" }, bestAgentFor));
    expect(picked.assignedAgentId).toBe("a2");
  });

  it("resets the daily counters", () => {
    const q = new Queue();
    const call = takenCall(q);
    q.value((tx) => complete(tx, { callId: call.id, actor: { userId: "a1", manage: false } }));
    expect(q.agent("a1").callsToday).toBe(1);
    q.value(dailyReset);
    expect(q.agent("a1")).toMatchObject({ callsToday: 0, completedCalls: 1 });
  });
});

describe("estimated wait", () => {
  it("puts calls behind the free slots one handle time per round of agents", () => {
    const q = new Queue();
    q.readyAgent("a1");
    const calls = [q.enqueue(), q.enqueue(), q.enqueue()];
    const positions = queuePositions(q.state, q.now);
    expect(calls.map((c) => positions.get(c.id))).toEqual([
      { position: 1, estimatedWaitSeconds: 0 },
      { position: 2, estimatedWaitSeconds: 600 },
      { position: 3, estimatedWaitSeconds: 1200 },
    ]);
  });
});
