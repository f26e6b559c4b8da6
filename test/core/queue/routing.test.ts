// Routing by skills and language, several queues per tenant (issue 17): the rules by example.
import { describe, expect, it } from "vitest";
import {
  accept,
  liveQueueFigures,
  queueFromRows,
  queuePositions,
  rowChanges,
  setAgentSkills,
  verificationNeeds,
  type Requirement,
  type RoutingQueue,
} from "../../../worker/core/queue/index.ts";
import { config, MINUTE, Queue, SECOND, T0 } from "./support.ts";

const de: Requirement[] = [{ skill: "lang:de", level: 1 }];

function routingQueue(overrides: Partial<RoutingQueue> = {}): RoutingQueue {
  return {
    id: "q-de",
    name: "German",
    position: 1,
    requires: ["lang:de"],
    serviceLevelSeconds: 60,
    relaxAfterSeconds: 120,
    relaxToAnyAgent: true,
    workingHours: null,
    ...overrides,
  };
}

/** A queue with ready agents `en` (English only) and `de` (German 3, English 2). */
function desk(queues: RoutingQueue[] = [routingQueue()], overrides = {}) {
  const q = new Queue(config({ queues, ...overrides }));
  for (const [id, skills] of [
    ["en", { "lang:en": 3 }],
    ["de", { "lang:de": 3, "lang:en": 2 }],
  ] as const) {
    q.readyAgent(id);
    q.value((tx) => setAgentSkills(tx, { agentId: id, skills }));
  }
  return q;
}

describe("routing by skills", () => {
  it("offers a German-speaking customer to the German-speaking agent while the English-only agent stays idle", () => {
    const q = desk();
    const call = q.enqueue(1, { requirements: de });
    expect(q.call(call.id)).toMatchObject({ queueId: "q-de", relaxStep: 0, offer: { agentId: "de" } });
    expect([...q.state.calls.values()].filter((c) => c.offer?.agentId === "en")).toEqual([]);
  });

  it("leaves a call waiting rather than offer it to an agent lacking a required skill", () => {
    const q = desk([routingQueue({ relaxAfterSeconds: null })]);
    const call = q.enqueue(1, { requirements: [{ skill: "doc:residence_permit", level: 1 }] });
    expect(q.call(call.id)?.offer).toBeNull();
    q.advance(3 * 60 * MINUTE);
    expect(q.call(call.id)?.offer).toBeNull();
  });

  it("counts a higher skill level in the score", () => {
    const q = new Queue(config());
    for (const [id, level] of [
      ["low", 1],
      ["high", 4],
    ] as const) {
      q.readyAgent(id);
      q.value((tx) => setAgentSkills(tx, { agentId: id, skills: { "lang:de": level } }));
    }
    expect(q.call(q.enqueue(1, { requirements: de }).id)?.offer?.agentId).toBe("high");
  });

  it("refuses a call taken from the list by an agent who lacks its skills", () => {
    const q = desk();
    q.value((tx) => setAgentSkills(tx, { agentId: "de", skills: {} }));
    const call = q.enqueue(1, { requirements: de });
    const { outcome } = q.run((tx) => accept(tx, { callId: call.id, agentId: "en", name: "en", sessionId: "s" }));
    expect(outcome).toMatchObject({ ok: false, error: { status: 409, code: "missing_required_skills" } });
  });

  it("returns an offer to the queue when the agent's skills no longer meet the call", () => {
    const q = desk([routingQueue({ relaxAfterSeconds: null })]);
    const call = q.enqueue(1, { requirements: de });
    const t = q.run((tx) => setAgentSkills(tx, { agentId: "de", skills: { "lang:en": 2 } }));
    expect(q.call(call.id)?.offer).toBeNull();
    expect(t.events.map((e) => e.type)).toContain("offerReleased");
  });
});

describe("relaxation over time", () => {
  it("relaxes to the skills at any level, then to any agent, each step on the call's timeline in order", () => {
    const q = desk();
    q.value((tx) => setAgentSkills(tx, { agentId: "de", skills: { "lang:de": 1 } }));
    q.run((tx) => setAgentSkills(tx, { agentId: "en", skills: { "lang:en": 3 } }));
    const call = q.enqueue(1, { requirements: [{ skill: "lang:de", level: 3 }] });
    expect(q.call(call.id)).toMatchObject({ relaxStep: 0, offer: null });

    const first = q.advance(120 * SECOND);
    expect(first.events.filter((e) => e.type === "relaxed").map((e) => e.type === "relaxed" && [e.from, e.to])).toEqual([[0, 1]]);
    expect(q.call(call.id)).toMatchObject({ relaxStep: 1, offer: { agentId: "de" } });

    // The German speaker loses the skill; two minutes on, anyone may take the call.
    q.value((tx) => setAgentSkills(tx, { agentId: "de", skills: {} }));
    q.advance(120 * SECOND);
    expect(q.call(call.id)).toMatchObject({ relaxStep: 2, offer: { agentId: expect.any(String) } });
    expect(q.call(call.id)?.relaxations).toEqual([
      { step: 1, at: T0 + 120 * SECOND },
      { step: 2, at: T0 + 240 * SECOND },
    ]);
  });

  it("takes every step due at once, in order, after a late alarm", () => {
    const q = desk([routingQueue()], {});
    q.value((tx) => setAgentSkills(tx, { agentId: "de", skills: {} }));
    const call = q.enqueue(1, { requirements: de });
    const t = q.advance(60 * MINUTE);
    expect(t.events.flatMap((e) => (e.type === "relaxed" ? [e.to] : []))).toEqual([1, 2]);
    expect(q.call(call.id)?.relaxations.map((r) => r.at)).toEqual([T0 + 120 * SECOND, T0 + 240 * SECOND]);
  });

  it("stops at any level when the queue does not allow any agent", () => {
    const q = desk([routingQueue({ relaxToAnyAgent: false })]);
    q.value((tx) => setAgentSkills(tx, { agentId: "de", skills: {} }));
    const call = q.enqueue(1, { requirements: de });
    q.advance(60 * MINUTE);
    expect(q.call(call.id)).toMatchObject({ relaxStep: 1, offer: null });
  });

  it("shows a call no online agent can meet as unmatched, and per queue", () => {
    const q = desk();
    q.value((tx) => setAgentSkills(tx, { agentId: "de", skills: {} }));
    const call = q.enqueue(1, { requirements: de });
    const figures = liveQueueFigures(q.state, q.config, q.now);
    expect(figures.map((f) => [f.queueId, f.waiting, f.unmatchedCallIds])).toEqual([
      ["q-de", 1, [call.id]],
      [null, 0, []],
    ]);
  });
});

describe("several queues", () => {
  const queues = [
    routingQueue(),
    routingQueue({ id: "q-permits", name: "Residence permits", position: 2, requires: ["doc:residence_permit"] }),
    routingQueue({ id: "q-all", name: "Everyone", position: 3, requires: [], serviceLevelSeconds: 30 }),
  ];

  it("sends a call to the first queue whose filter it matches", () => {
    const q = desk(queues);
    const both = q.enqueue(1, { requirements: [...de, { skill: "doc:residence_permit", level: 1 }] });
    const permit = q.enqueue(1, { requirements: [{ skill: "doc:residence_permit", level: 1 }] });
    const plain = q.enqueue(1);
    expect([both, permit, plain].map((c) => q.call(c.id)?.queueId)).toEqual(["q-de", "q-permits", "q-all"]);
  });

  it("skips a queue outside its working hours", () => {
    // T0 is a Sunday 09:00 UTC.
    const closed = routingQueue({ workingHours: { days: [1, 2, 3, 4, 5], fromMinute: 8 * 60, toMinute: 18 * 60 } });
    const q = desk([closed, queues[2]!]);
    expect(q.call(q.enqueue(1, { requirements: de }).id)?.queueId).toBe("q-all");
  });

  it("keeps every waiting call when its queue is edited or deleted", () => {
    const q = desk(queues);
    q.value((tx) => setAgentSkills(tx, { agentId: "de", skills: {} }));
    const call = q.enqueue(1, { requirements: de });
    // Deleted: the call waits on in the first queue it matches now.
    const without = config({ queues: queues.slice(1) });
    const figures = liveQueueFigures(q.state, without, q.now);
    expect(figures.find((f) => f.queueId === "q-all")?.waiting).toBe(1);
    expect(q.call(call.id)?.status).toBe("pending");
  });

  it("estimates each customer's wait from their own queue", () => {
    const q = desk();
    q.value((tx) => setAgentSkills(tx, { agentId: "de", skills: { "lang:de": 3 } }));
    // The German agent takes one call; the second German call waits behind it, while an
    // English call goes to the idle English agent.
    const [first, second] = [q.enqueue(1, { requirements: de }), q.enqueue(1, { requirements: de })];
    const plain = q.enqueue(1);
    const positions = queuePositions(q.state, q.now);
    expect(q.call(first.id)?.offer?.agentId).toBe("de");
    expect(q.call(plain.id)?.offer?.agentId).toBe("en");
    expect(positions.get(second.id)).toEqual({ position: 2, estimatedWaitSeconds: 600 });
    expect(positions.get(plain.id)).toEqual({ position: 1, estimatedWaitSeconds: 0 });
  });
});

describe("requirements read off a verification", () => {
  it("names the customer's language and each document type uploaded", () => {
    expect(verificationNeeds({ language: "de-AT", docTypes: ["passport", "selfie", "passport"] })).toEqual([
      { skill: "lang:de", level: 1 },
      { skill: "doc:passport", level: 1 },
      { skill: "doc:selfie", level: 1 },
    ]);
  });

  it("names each issuing country stated on an upload, once, in a skill's lower case", () => {
    expect(verificationNeeds({ docTypes: ["passport", "id_card"], countries: ["DE", null, "DE", "AT"] })).toEqual([
      { skill: "doc:passport", level: 1 },
      { skill: "doc:id_card", level: 1 },
      { skill: "country:de", level: 1 },
      { skill: "country:at", level: 1 },
    ]);
    expect(verificationNeeds({ docTypes: ["passport"], countries: [null] })).toEqual([{ skill: "doc:passport", level: 1 }]);
  });

  it("requires an issuing country only where an agent has that very country or a queue filters on it", () => {
    const derivedRequirements = verificationNeeds({ docTypes: ["passport"], countries: ["DE"] });
    const other = desk([]);
    other.value((tx) => setAgentSkills(tx, { agentId: "en", skills: { "lang:en": 3, "country:fr": 2 } }));
    // Another country is in use, not Germany: the German passport needs nobody in particular.
    expect(other.call(other.enqueue(1, { derivedRequirements }).id)?.requirements).toEqual([]);
    const q = desk([]);
    q.value((tx) => setAgentSkills(tx, { agentId: "de", skills: { "lang:de": 3, "country:de": 1 } }));
    expect(q.call(q.enqueue(1, { derivedRequirements }).id)).toMatchObject({
      requirements: [{ skill: "country:de", level: 1 }],
      offer: { agentId: "de" },
    });
    const queued = desk([routingQueue({ id: "q-de-docs", requires: ["country:de"] })]);
    expect(queued.call(queued.enqueue(1, { derivedRequirements }).id)).toMatchObject({
      queueId: "q-de-docs",
      requirements: [{ skill: "country:de", level: 1 }],
      offer: null,
    });
  });

  it("requires a read one only where the tenant routes on it, and every stated one", () => {
    const q = desk([]);
    const call = q.enqueue(1, {
      requirements: [{ skill: "country:ch", level: 2 }],
      derivedRequirements: [
        { skill: "lang:pt", level: 1 },
        { skill: "doc:passport", level: 1 },
      ],
    });
    // Agents speak languages, so Portuguese is required (nobody has it); nobody checks passports.
    expect(q.call(call.id)?.requirements).toEqual([
      { skill: "country:ch", level: 2 },
      { skill: "lang:pt", level: 1 },
    ]);
    const plain = new Queue(config());
    plain.readyAgent("a1");
    const free = plain.enqueue(1, { derivedRequirements: [{ skill: "lang:pt", level: 1 }] });
    expect(plain.call(free.id)).toMatchObject({ requirements: [], offer: { agentId: "a1" } });
  });
});

describe("persisted form with routing", () => {
  it("keeps skills, requirements and relaxations through storage, and loads rows written before them", () => {
    const q = desk();
    q.value((tx) => setAgentSkills(tx, { agentId: "de", skills: {} }));
    const call = q.enqueue(1, { requirements: de });
    q.advance(3 * MINUTE);
    const rows = rowChanges(q.state, {
      changedCalls: [...q.state.calls.keys()],
      removedCalls: [],
      changedAgents: [...q.state.agents.keys()],
    });
    const restored = queueFromRows({
      calls: rows.calls.map(([, d]) => d),
      agents: rows.agents.map(([, d]) => d),
      seq: rows.seq,
      counters: rows.counters,
    });
    expect(restored).toStrictEqual(q.state);

    const { requirements: _r, queueId: _q, relaxStep: _s, relaxations: _x, ...oldCall } = q.call(call.id)!;
    const { skills: _k, ...oldAgent } = q.agent("en");
    const legacy = queueFromRows({ calls: [JSON.stringify(oldCall)], agents: [JSON.stringify(oldAgent)], seq: "1", counters: null });
    expect(legacy.calls.get(call.id)).toMatchObject({ requirements: [], queueId: null, relaxStep: 0, relaxations: [] });
    expect(legacy.agents.get("en")?.skills).toEqual({});
  });
});
