// Property test for routing (issue 17 item 6) over random command sequences in which agents
// gain and lose skills, calls need random skills, and the tenant's queues are created, edited
// and deleted while calls wait: no call is offered to an agent lacking a required skill before
// its relaxation step; steps happen in order and only once due; capacity holds across queues;
// no call is lost; a waiting call with a free eligible agent is offered; an eviction (state
// rebuilt from the stored rows) changes nothing.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  accept,
  complete,
  enqueue,
  meetsRequirements,
  nextDeadline,
  presenceChanged,
  queueFromRows,
  queueOf,
  reject,
  rowChanges,
  runCommand,
  setAgentSkills,
  setAgentStatus,
  start,
  usageOf,
  type Outcome,
  type QueueConfig,
  type QueueState,
  type Requirement,
  type RoutingQueue,
  type Transition,
} from "../../../worker/core/queue/index.ts";
import { candidatesFor } from "../../../worker/core/queue/eligibility.ts";
import { emptyQueue } from "../../../worker/core/queue/types.ts";
import type { QueueTx } from "../../../worker/core/queue/transaction.ts";
import { config, heard, MINUTE, newCall, SECOND, T0 } from "./support.ts";

const AGENTS = ["a1", "a2", "a3", "a4"];
const SKILLS = ["lang:de", "lang:en", "lang:fr", "doc:residence_permit"];
const QUEUE_IDS = ["q1", "q2", "q3"];

const agentId = fc.constantFrom(...AGENTS);
const skills = fc.dictionary(fc.constantFrom(...SKILLS), fc.integer({ min: 1, max: 5 }), { maxKeys: 3 });
const requirements = fc.uniqueArray(fc.record({ skill: fc.constantFrom(...SKILLS), level: fc.integer({ min: 1, max: 5 }) }), {
  maxLength: 2,
  selector: (r) => r.skill,
});
const routingQueue = fc.record({
  id: fc.constantFrom(...QUEUE_IDS),
  position: fc.nat(5),
  requires: fc.uniqueArray(fc.constantFrom(...SKILLS), { maxLength: 1 }),
  serviceLevelSeconds: fc.constantFrom(30, 120),
  relaxAfterSeconds: fc.option(fc.constantFrom(1, 30, 90), { nil: null }),
  relaxToAnyAgent: fc.boolean(),
});
const pick = fc.nat(30);

const command = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("enqueue" as const), requirements }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("online" as const), agent: agentId, max: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("offline" as const), agent: agentId }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("skills" as const), agent: agentId, skills }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("put_queue" as const), queue: routingQueue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete_queue" as const), id: fc.constantFrom(...QUEUE_IDS) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("answer" as const), offer: pick, accept: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("take" as const), call: pick, agent: agentId }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("finish" as const), call: pick }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("advance" as const), ms: fc.oneof(fc.constantFrom(SECOND, 30 * SECOND), fc.nat(5 * MINUTE)) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("alarm" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("evict" as const) }) },
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;
const sequences = fc.array(command, { minLength: 1, maxLength: 80, size: "max" });

const must = (holds: boolean, message: string) => {
  if (!holds) expect.unreachable(message);
};

/** The relaxation step a call's wait has earned under `cfg` (what routing.ts promises). */
function earnedStep(requirements: Requirement[], queue: RoutingQueue | null, waitedMs: number): number {
  if (!queue || queue.relaxAfterSeconds === null || requirements.length === 0) return 0;
  return Math.min(Math.floor(waitedMs / (queue.relaxAfterSeconds * SECOND)), queue.relaxToAnyAgent ? 2 : 1);
}

function runScenario(strategy: QueueConfig["strategy"], commands: Command[]) {
  let cfg: QueueConfig = config({ strategy, queues: [], offerTimeoutSeconds: 30, declineCooldownSeconds: 0, wrapUpSeconds: 0 });
  let state: QueueState = emptyQueue();
  let now = T0;
  const stored = {
    calls: new Map<string, string>(),
    agents: new Map<string, string>(),
    seq: null as string | null,
    counters: null as string | null,
  };
  const enqueued: string[] = [];
  const finished = new Set<string>();

  const run = <T>(cmd: (tx: QueueTx) => Outcome<T>): Transition<T> => {
    const before = state;
    const t = runCommand(state, now, cfg, cmd);
    state = t.state;
    const rows = rowChanges(t.state, t);
    for (const [id, data] of rows.calls) stored.calls.set(id, data);
    for (const id of rows.removedCalls) stored.calls.delete(id);
    for (const [id, data] of rows.agents) stored.agents.set(id, data);
    stored.seq = rows.seq;
    stored.counters = rows.counters;
    check(before, t);
    return t;
  };

  const check = (before: QueueState, t: Transition<unknown>) => {
    for (const e of t.events) {
      if (e.type === "finished") {
        must(!finished.has(e.call.id), `call ${e.call.id} finished twice`);
        finished.add(e.call.id);
      }
      if (e.type === "relaxed") {
        // One step at a time, in order, and only once the wait in its queue earned it.
        must(e.to === e.from + 1, `call ${e.call.id} relaxed from ${e.from} to ${e.to}`);
        const earned = earnedStep(e.call.requirements, queueOf(e.call, cfg), now - e.call.enqueuedAt);
        must(e.to <= earned, `call ${e.call.id} relaxed to ${e.to} having earned ${earned}`);
      }
      if (e.type === "offered") {
        // Offered only to an agent who meets every requirement at the step the call has reached.
        const agent = t.state.agents.get(e.agentId)!;
        must(
          meetsRequirements(agent, e.call.requirements, e.call.relaxStep),
          `call ${e.call.id} offered to ${e.agentId}, who lacks its skills`,
        );
        if (!meetsRequirements(agent, e.call.requirements, 0)) must(e.call.relaxStep > 0, `call ${e.call.id} offered before relaxation`);
      }
    }
    for (const call of state.calls.values()) {
      // The timeline lists each step once, in order, never before the call was enqueued.
      call.relaxations.forEach((r, i) => {
        must(r.step === i + 1, `call ${call.id}'s timeline is out of order`);
        must(r.at >= call.enqueuedAt && r.at <= now && (i === 0 || r.at >= call.relaxations[i - 1]!.at), `call ${call.id}'s step times`);
      });
      must(call.relaxStep === call.relaxations.length, `call ${call.id}'s step and timeline disagree`);
      const before_ = before.calls.get(call.id);
      if (before_) must(call.relaxStep >= before_.relaxStep, `call ${call.id}'s relaxation went back`);
      // An open offer is always to an agent who meets the call now (skills may have changed since).
      if (call.offer) {
        const agent = state.agents.get(call.offer.agentId)!;
        must(meetsRequirements(agent, call.requirements, call.relaxStep), `call ${call.id} held by ${agent.id} without its skills`);
      }
      // A call's queue is always one that exists, or the default.
      const queue = queueOf(call, cfg);
      must(queue === null || cfg.queues!.some((q) => q.id === queue.id), `call ${call.id} is in a queue that is gone`);
    }
    // Nothing lost, nothing duplicated, whatever happened to the queues.
    for (const id of enqueued) must(state.calls.has(id) !== finished.has(id), `call ${id} lost or duplicated`);
    must(state.calls.size === enqueued.length - finished.size, "calls appeared from nowhere");
    // Capacity holds across every queue: one agent's load counts every call, whichever queue.
    const usage = usageOf(state);
    for (const agent of state.agents.values()) must(usage.get(agent.id)! <= agent.maxCalls, `agent ${agent.id} over capacity`);
    // Every waiting call that a free eligible agent could take has been offered.
    for (const call of state.calls.values()) {
      if (call.status !== "pending" || call.offer) continue;
      const free = candidatesFor(call, state.agents.values(), usage, now, cfg).agents;
      must(free.length === 0, `call ${call.id} waits while ${free.map((a) => a.id).join()} could take it`);
    }
    const due = nextDeadline(state, cfg);
    must(due === null || due > now, `a deadline at ${due} is overdue at ${now}`);
  };

  const callAt = (i: number) => {
    const live = [...state.calls.keys()];
    return live.length ? live[i % live.length]! : "none";
  };

  for (const c of commands) {
    switch (c.kind) {
      case "enqueue": {
        const call = newCall(1, { requirements: c.requirements.map((r) => ({ skill: r.skill, level: r.level })) });
        enqueued.push(call.id);
        run((tx) => enqueue(tx, call));
        break;
      }
      case "online":
        run((tx) => presenceChanged(tx, { agentId: c.agent, presence: heard(now) }));
        run((tx) => setAgentStatus(tx, { agentId: c.agent, name: c.agent, status: "online", maxCalls: c.max }));
        break;
      case "offline":
        run((tx) => setAgentStatus(tx, { agentId: c.agent, name: c.agent, status: "offline" }));
        break;
      case "skills":
        run((tx) => setAgentSkills(tx, { agentId: c.agent, skills: c.skills }));
        break;
      case "put_queue": {
        const queue: RoutingQueue = { ...c.queue, name: c.queue.id, workingHours: null };
        cfg = { ...cfg, queues: [...cfg.queues!.filter((q) => q.id !== queue.id), queue] };
        run(() => ({ ok: true, value: null }));
        break;
      }
      case "delete_queue":
        cfg = { ...cfg, queues: cfg.queues!.filter((q) => q.id !== c.id) };
        run(() => ({ ok: true, value: null }));
        break;
      case "answer": {
        const offered = [...state.calls.values()].filter((call) => call.offer);
        const target = offered[c.offer % Math.max(1, offered.length)];
        if (!target?.offer) break;
        const { agentId } = target.offer;
        const t = c.accept
          ? run((tx) => accept(tx, { callId: target.id, agentId, name: agentId, sessionId: `s-${target.id}` }))
          : run((tx) => reject(tx, { callId: target.id, agentId }));
        must(t.outcome.ok, `${agentId} could not answer the offer of ${target.id}`);
        break;
      }
      case "take": {
        const id = callAt(c.call);
        const call = state.calls.get(id);
        const t = run((tx) => accept(tx, { callId: id, agentId: c.agent, name: c.agent, sessionId: `s-${id}` }));
        // Taking from the list needs the skills at the call's step, like an offer.
        if (t.outcome.ok && call?.status === "pending" && !call.offer) {
          const agent = t.state.agents.get(c.agent)!;
          must(meetsRequirements(agent, call.requirements, call.relaxStep), `${c.agent} took ${id} without its skills`);
        }
        break;
      }
      case "finish": {
        const call = state.calls.get(callAt(c.call));
        if (!call?.assignedAgentId) break;
        const actor = { userId: call.assignedAgentId, manage: false };
        run((tx) => start(tx, { callId: call.id, actor, customer: false }));
        run((tx) => complete(tx, { callId: call.id, actor }));
        break;
      }
      case "advance":
        now += c.ms;
        run(() => ({ ok: true, value: null }));
        break;
      case "alarm":
        now = Math.max(now, nextDeadline(state, cfg) ?? now);
        run(() => ({ ok: true, value: null }));
        break;
      case "evict": {
        const restored = queueFromRows({
          calls: stored.calls.values(),
          agents: stored.agents.values(),
          seq: stored.seq,
          counters: stored.counters,
        });
        expect(restored, "the stored rows rebuild the state, skills and requirements included").toStrictEqual(state);
        state = restored;
        break;
      }
    }
  }
}

describe("routing properties", () => {
  it("offers no call to an agent lacking its skills before its relaxation step, relaxes in order, keeps capacity and every call through queue edits", () => {
    fc.assert(
      fc.property(fc.constantFrom("score" as const, "longest-idle" as const, "fewest-calls" as const), sequences, (strategy, commands) => {
        runScenario(strategy, commands);
      }),
      { numRuns: 300 },
    );
  }, 30_000);
});
