// Property test over random command sequences: no call is lost or duplicated, no agent
// exceeds capacity, every waiting call with a free eligible agent is offered, and calls keep
// their place in the queue.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  accept,
  assign,
  bestAgentFor,
  cancel,
  complete,
  enqueue,
  presenceChanged,
  reject,
  setAgentStatus,
  start,
  usageOf,
  type QueueConfig,
  type Transition,
} from "../../../worker/core/queue/index.ts";
import { candidatesFor } from "../../../worker/core/queue/eligibility.ts";
import type { PriorityLevel } from "../../../worker/core/priority.ts";
import { config, heard, MINUTE, newCall, Queue, SECOND } from "./support.ts";

const AGENTS = ["a1", "a2", "a3"];
const agentId = fc.constantFrom(...AGENTS);
const pick = fc.nat(30);

const command = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("enqueue" as const), priority: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("online" as const), agent: agentId, max: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("offline" as const, "away" as const, "busy" as const), agent: agentId }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("presence" as const),
      agent: agentId,
      fresh: fc.boolean(),
      device: fc.boolean(),
      gone: fc.boolean(),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("accept" as const), call: pick, agent: agentId }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("reject" as const), call: pick, agent: agentId }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("assign" as const), call: pick, agent: fc.option(agentId) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("start" as const), call: pick }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("complete" as const), call: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel" as const), call: pick, byCustomer: fc.boolean() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("advance" as const),
      ms: fc.oneof(fc.constant(30 * SECOND), fc.integer({ min: 0, max: 45 * MINUTE })),
    }),
  },
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

const configs = fc.record({
  strategy: fc.constantFrom("score" as const, "longest-idle" as const, "fewest-calls" as const),
  wrapUpSeconds: fc.constantFrom(0, 20),
  maxMissedOffers: fc.integer({ min: 1, max: 3 }),
  declineCooldownSeconds: fc.constantFrom(0, 60),
  features: fc.record({
    agentHeartbeat: fc.boolean(),
    deviceConnectivity: fc.boolean(),
    enhancedDiscovery: fc.boolean(),
    discoveryFallback: fc.boolean(),
  }),
});

function runScenario(overrides: Partial<QueueConfig>, commands: Command[]) {
  const q = new Queue(config(overrides));
  const enqueued: string[] = [];
  const finished = new Map<string, number>();
  const places = new Map<string, { enqueuedAt: number; seq: number }>();
  const priorities = new Map<string, number>();

  const record = (t: Transition<unknown>) => {
    for (const event of t.events) {
      if (event.type === "finished") finished.set(event.call.id, (finished.get(event.call.id) ?? 0) + 1);
    }
  };
  const callAt = (i: number) => enqueued[i % Math.max(1, enqueued.length)];

  for (const c of commands) {
    let t: Transition<unknown>;
    const id = "call" in c ? callAt(c.call) : undefined;
    const live = id ? q.call(id) : undefined;
    switch (c.kind) {
      case "enqueue": {
        const call = newCall(c.priority as PriorityLevel);
        t = q.run((tx) => enqueue(tx, call));
        enqueued.push(call.id);
        break;
      }
      case "online":
        t = q.run((tx) => setAgentStatus(tx, { agentId: c.agent, name: c.agent, status: "online", maxCalls: c.max }));
        break;
      case "offline":
      case "away":
      case "busy":
        t = q.run((tx) => setAgentStatus(tx, { agentId: c.agent, name: c.agent, status: c.kind }));
        break;
      case "presence":
        t = q.run((tx) =>
          presenceChanged(tx, {
            agentId: c.agent,
            presence: heard(q.now, { fresh: c.fresh && !c.gone, deviceConnected: c.device && !c.gone, offline: c.gone }),
          }),
        );
        break;
      case "accept":
        t = q.run((tx) => accept(tx, { callId: id ?? "none", agentId: c.agent, name: c.agent, sessionId: `s-${id}` }));
        break;
      case "reject":
        t = q.run((tx) => reject(tx, { callId: id ?? "none", agentId: c.agent }));
        break;
      case "assign":
        t = q.run((tx) =>
          assign(
            tx,
            { callId: id ?? "none", ...(c.agent ? { agent: { id: c.agent, name: c.agent } } : {}), sessionId: `s-${id}` },
            bestAgentFor,
          ),
        );
        break;
      case "start":
        t = q.run((tx) =>
          start(tx, { callId: id ?? "none", actor: { userId: live?.assignedAgentId ?? "x", manage: false }, customer: false }),
        );
        break;
      case "complete": {
        t = q.run((tx) => complete(tx, { callId: id ?? "none", actor: { userId: live?.assignedAgentId ?? "x", manage: false } }));
        // A decision needs a started call: only an in-progress call's own agent records one.
        if (t.outcome.ok) expect(live?.status).toBe("in_progress");
        else if (live?.status === "in_progress") expect.unreachable("the assigned agent could not complete a started call");
        break;
      }
      case "cancel":
        t = q.run((tx) =>
          cancel(tx, {
            callId: id ?? "none",
            actor: c.byCustomer ? { userId: live?.customerId ?? "x", manage: false } : { userId: "m", manage: true },
          }),
        );
        break;
      case "advance":
        q.now += c.ms;
        t = q.advance(0);
        break;
    }
    record(t);
    checkInvariants(q, enqueued, finished, places, priorities);
  }
}

function checkInvariants(
  q: Queue,
  enqueued: string[],
  finished: Map<string, number>,
  places: Map<string, { enqueuedAt: number; seq: number }>,
  priorities: Map<string, number>,
) {
  const { calls, agents } = q.state;
  // Nothing lost, nothing duplicated: every call is live or finished exactly once, never both.
  for (const id of enqueued) {
    const isLive = calls.has(id);
    const times = finished.get(id) ?? 0;
    expect(times, `call ${id} finished ${times} times`).toBeLessThanOrEqual(1);
    expect(isLive !== (times === 1), `call ${id} live=${isLive} finished=${times}`).toBe(true);
  }
  expect(calls.size).toBe(enqueued.filter((id) => !finished.has(id)).length);

  // Capacity is never exceeded, and agents' active calls match the calls' assignments.
  const usage = usageOf(q.state);
  for (const agent of agents.values()) {
    expect(usage.get(agent.id)!, `agent ${agent.id} over capacity`).toBeLessThanOrEqual(agent.maxCalls);
    const assigned = [...calls.values()]
      .filter((c) => c.assignedAgentId === agent.id)
      .map((c) => c.id)
      .sort();
    expect([...agent.activeCallIds].sort()).toEqual(assigned);
  }
  for (const call of calls.values()) {
    if (call.offer) {
      expect(call.status).toBe("pending");
      expect(agents.has(call.offer.agentId)).toBe(true);
    }
    if (call.status === "pending") expect(call.assignedAgentId).toBeNull();
    else expect(call.assignedAgentId).not.toBeNull();

    // A call keeps its place: enqueue time and sequence never change; priority only rises.
    const place = places.get(call.id);
    if (place) expect({ enqueuedAt: call.enqueuedAt, seq: call.seq }).toEqual(place);
    else places.set(call.id, { enqueuedAt: call.enqueuedAt, seq: call.seq });
    expect(call.priority).toBeGreaterThanOrEqual(priorities.get(call.id) ?? call.initialPriority);
    expect(call.priority).toBeLessThanOrEqual(3);
    priorities.set(call.id, call.priority);

    // Every waiting call with a free eligible agent has been offered.
    if (call.status === "pending" && !call.offer) {
      const { agents: free } = candidatesFor(call, agents.values(), usage, q.now, q.config);
      expect(
        free.map((a) => a.id),
        `call ${call.id} waits while agents are free`,
      ).toEqual([]);
    }
  }
}

describe("queue engine properties", () => {
  it("holds its invariants over random command sequences", () => {
    fc.assert(
      fc.property(configs, fc.array(command, { minLength: 1, maxLength: 80 }), (overrides, commands) => {
        runScenario(overrides, commands);
      }),
      { numRuns: 400 },
    );
  });
});
