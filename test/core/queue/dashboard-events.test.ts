// What the coordinator hands the dashboard hub: the live figures beside D1's history, the
// snapshot a dashboard opens with, publication numbers that only grow, and the coalescing of
// a batch, which may drop superseded snapshots but never a call event.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  coalescePublications,
  dashboardSnapshot,
  liveFigures,
  nextPublicationSeq,
  type DashboardOutgoing,
} from "../../../worker/core/queue/dashboard-events.ts";
import { accept, setAgentStatus } from "../../../worker/core/queue/index.ts";
import { configFrom } from "../../../worker/config.ts";
import { Queue, SECOND } from "./support.ts";

const readiness = configFrom({}).readiness;

/** One agent in a call, one away, and two calls waiting for 30 s. */
function busyQueue() {
  const q = new Queue();
  q.readyAgent("a1");
  const first = q.enqueue(1);
  q.value((tx) => accept(tx, { callId: first.id, agentId: "a1", name: "a1", sessionId: "s1" }));
  q.value((tx) => setAgentStatus(tx, { agentId: "a2", name: "a2", status: "away", maxCalls: 2 }));
  q.enqueue(2);
  q.enqueue(1);
  q.advance(30 * SECOND);
  return { q, first };
}

describe("live figures", () => {
  it("count calls with an agent, who waits and for how long, and the agents online, free and in a call", () => {
    const { q } = busyQueue();
    expect(liveFigures(q.state, q.now)).toEqual({
      activeCalls: 1,
      waiting: { urgent: 0, high: 1, normal: 1, low: 0 },
      longestWaitSeconds: 30,
      agents: { online: 1, available: 0, inCall: 1 },
    });
  });

  it("report no wait when nobody waits", () => {
    const q = new Queue();
    q.readyAgent("a1", 2);
    q.advance(60 * SECOND);
    expect(liveFigures(q.state, q.now)).toEqual({
      activeCalls: 0,
      waiting: { urgent: 0, high: 0, normal: 0, low: 0 },
      longestWaitSeconds: 0,
      agents: { online: 1, available: 1, inCall: 0 },
    });
  });
});

describe("dashboard snapshot", () => {
  it("holds the active calls, the queue, every agent and the live figures, as of a publication", () => {
    const { q, first } = busyQueue();
    const snapshot = dashboardSnapshot(q.state, q.now, readiness, 42);
    expect(snapshot.seq).toBe(42);
    expect(snapshot.activeCalls.map((c) => c.id)).toEqual([first.id]);
    expect(snapshot.queue.total_pending).toBe(2);
    expect(snapshot.agents.map((a) => a.agent_id).sort()).toEqual(["a1", "a2"]);
    expect(snapshot.live).toEqual(liveFigures(q.state, q.now));
  });
});

describe("publication numbers", () => {
  it("grow by one within a millisecond and jump to the clock after", () => {
    expect(nextPublicationSeq(0, 5)).toBe(5000);
    expect(nextPublicationSeq(5000, 5)).toBe(5001);
    expect(nextPublicationSeq(5001, 7)).toBe(7000);
  });

  it("stay above everything a coordinator published before it restarted and forgot its number", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2e12 }), fc.integer({ min: 1, max: 500 }), fc.nat(10_000), (start, runs, later) => {
        let seq = 0;
        for (let i = 0; i < runs; i++) seq = nextPublicationSeq(seq, start);
        // The restarted coordinator's clock is never behind the one it persisted.
        expect(nextPublicationSeq(0, start + later + 1)).toBeGreaterThan(seq);
      }),
    );
  });
});

const at = (i: number) => `2026-11-22T09:00:${String(i % 60).padStart(2, "0")}.000Z`;
const outgoing = fc.oneof(
  fc.nat(99).map(
    (i): DashboardOutgoing => ({
      stream: "calls",
      message: { type: "call_event", event: "call_updated", call: { id: `call-${i}` } as never, timestamp: at(i) },
    }),
  ),
  fc
    .nat(99)
    .map((i): DashboardOutgoing => ({ stream: "calls", message: { type: "active_calls_update", active_calls: [], timestamp: at(i) } })),
  fc.nat(99).map((i): DashboardOutgoing => ({ stream: "agents", message: { type: "agents_update", agents: [], timestamp: at(i) } })),
);

describe("coalescing a batch", () => {
  it("keeps every call event in order and the last snapshot of each kind, and nothing else changes", () => {
    fc.assert(
      fc.property(fc.array(outgoing, { maxLength: 40 }), (batch) => {
        const out = coalescePublications(batch);
        const events = (list: DashboardOutgoing[]) => list.filter((m) => m.message.type === "call_event");
        expect(events(out)).toEqual(events(batch));
        for (const kind of ["active_calls_update", "agents_update"]) {
          const ofKind = (list: DashboardOutgoing[]) => list.filter((m) => m.message.type === kind);
          expect(ofKind(out)).toEqual(ofKind(batch).slice(-1));
        }
        // A subsequence of the batch: nothing reordered, nothing made up.
        let i = 0;
        for (const m of out) {
          while (i < batch.length && batch[i] !== m) i++;
          expect(i).toBeLessThan(batch.length);
          i++;
        }
      }),
    );
  });

  it("leaves the latest snapshot where it came, after the events before it", () => {
    const event = (id: string): DashboardOutgoing => ({
      stream: "calls",
      message: { type: "call_event", event: "call_started", call: { id } as never, timestamp: at(0) },
    });
    const active = (n: number): DashboardOutgoing => ({
      stream: "calls",
      message: { type: "active_calls_update", active_calls: [], timestamp: at(n) },
    });
    const batch = [event("a"), active(1), event("b"), active(2), event("c")];
    expect(coalescePublications(batch)).toEqual([event("a"), event("b"), active(2), event("c")]);
  });
});
