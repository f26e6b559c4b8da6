// One readiness for one agent: presence (the heartbeat reply) and the queue (agentView, which
// dashboards, the availability route and the statistics show) compute it with the same function
// over the same record, so after any beats and silences they give the same number.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accept, presenceChanged, setAgentStatus } from "../../worker/core/queue/index.ts";
import { loadOf } from "../../worker/core/queue/agents.ts";
import { agentView } from "../../worker/core/queue/views.ts";
import {
  afterBeat,
  afterTime,
  agentFactsAt,
  heardFromQueue,
  initialPresence,
  markReported,
  nextPresenceDeadline,
  type Presence,
  type PresenceConfig,
} from "../../worker/core/presence.ts";
import { readinessScore, type PresenceFacts } from "../../worker/core/readiness.ts";
import type { AgentStatus } from "../../worker/core/agent-status.ts";
import { config, Queue, SECOND, T0 } from "./queue/support.ts";

/** One agent's AgentPresence wired to a queue as the two Durable Objects are: reports go to the
 * queue and its half comes back; every queue change is synced; the alarm fires at each deadline. */
class Desk {
  p: Presence = initialPresence();
  readonly q: Queue;
  readonly cfg: PresenceConfig;
  readonly id = "a1";
  constructor(cfg: PresenceConfig) {
    this.cfg = cfg;
    this.q = new Queue(config({ features: { ...config().features, agentHeartbeat: cfg.heartbeatEnabled } }));
    this.status("online");
  }
  private tell(report: PresenceFacts) {
    const agent = this.q.value((tx) => presenceChanged(tx, { agentId: this.id, name: this.id, presence: report }));
    this.p = markReported(heardFromQueue(this.p, loadOf(agent, this.q.now)), report);
    this.sync();
  }
  /** QueueCoordinator.syncPresence after a queue change. */
  private sync() {
    this.p = heardFromQueue(this.p, loadOf(this.q.agent(this.id), this.q.now));
  }
  /** A heartbeat; the reply's readiness. */
  beat(device: boolean): number {
    const { next, report } = afterBeat(this.p, device, this.q.now, this.cfg);
    this.p = next;
    if (report) this.tell(report);
    return this.presenceReadiness();
  }
  /** Time passes; the presence alarm fires at each deadline on the way. */
  wait(ms: number) {
    const until = this.q.now + ms;
    for (let at = nextPresenceDeadline(this.p, this.cfg); at !== null && at <= until; at = nextPresenceDeadline(this.p, this.cfg)) {
      this.q.now = at;
      this.q.advance(0);
      const report = afterTime(this.p, at, this.cfg);
      if (!report) break;
      this.tell(report);
    }
    this.q.now = until;
    this.q.advance(0);
    this.sync();
  }
  status(status: AgentStatus, maxCalls?: number) {
    this.q.run((tx) => setAgentStatus(tx, { agentId: this.id, name: this.id, status, ...(maxCalls ? { maxCalls } : {}) }));
    this.sync();
  }
  /** A call arrives (and may be offered), then the agent takes the oldest one offered to them. */
  takeCall() {
    this.q.enqueue();
    const offered = [...this.q.state.calls.values()].find((c) => c.offer?.agentId === this.id);
    if (offered) this.q.run((tx) => accept(tx, { callId: offered.id, agentId: this.id, name: this.id, sessionId: `s-${offered.id}` }));
    this.sync();
  }
  presenceReadiness(): number {
    return readinessScore(agentFactsAt(this.p, this.q.now, this.cfg), this.q.now, this.cfg);
  }
  viewReadiness(): number {
    return agentView(this.q.agent(this.id), this.q.now, this.cfg).readiness_score;
  }
}

const standard: PresenceConfig = { heartbeatIntervalSeconds: 30, offlineAfterSeconds: 90, heartbeatEnabled: true };

describe("readiness", () => {
  it("decays between stale and offline, the same number in the queue's view as at presence", () => {
    const desk = new Desk(standard);
    desk.beat(true);
    desk.wait(30 * SECOND);
    expect(desk.beat(true)).toBe(100);
    const samples: Array<[number, number]> = [
      [45_000, 100],
      [45_001, 100],
      [67_500, 85],
      [80_000, 77],
      [89_999, 70],
      [90_000, 10],
    ];
    let elapsed = 0;
    for (const [at, expected] of samples) {
      desk.wait(at - elapsed);
      elapsed = at;
      expect([desk.viewReadiness(), desk.presenceReadiness()], `${at} ms after the last beat`).toEqual([expected, expected]);
    }
    // The queue decayed from the latest beat, not from the first of the streak.
    expect(desk.q.agent("a1").presence.lastBeatAt).toBe(T0 + 30 * SECOND);
    expect(desk.q.agent("a1").status).toBe("offline");
  });

  it("counts calls taken as load, not offers still open", () => {
    const desk = new Desk(standard);
    desk.status("online", 2);
    desk.beat(true);
    desk.q.enqueue();
    expect([...desk.q.state.calls.values()][0]!.offer?.agentId).toBe("a1");
    expect([desk.viewReadiness(), desk.presenceReadiness()]).toEqual([100, 100]);
    desk.takeCall();
    expect([desk.viewReadiness(), desk.presenceReadiness()]).toEqual([95, 95]);
  });

  it("dashboards agree with presence after any beats, silences, status changes and calls", () => {
    const configs = fc.record({
      heartbeatIntervalSeconds: fc.integer({ min: 1, max: 60 }),
      offlineAfterSeconds: fc.integer({ min: 1, max: 200 }),
      heartbeatEnabled: fc.boolean(),
    });
    const step = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant("beat" as const), device: fc.boolean() }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 250_000 }) }) },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant("status" as const),
          status: fc.constantFrom<AgentStatus>("online", "busy", "away", "offline"),
          max: fc.integer({ min: 1, max: 3 }),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("call" as const) }) },
    );
    fc.assert(
      fc.property(configs, fc.array(step, { maxLength: 40 }), (cfg, steps) => {
        const desk = new Desk(cfg);
        for (const s of steps) {
          if (s.kind === "beat") {
            const reply = desk.beat(s.device);
            expect(desk.viewReadiness(), "the view right after a heartbeat reply").toBe(reply);
          } else if (s.kind === "wait") desk.wait(s.ms);
          else if (s.kind === "status") desk.status(s.status, s.max);
          else desk.takeCall();
          expect(desk.viewReadiness(), JSON.stringify(s)).toBe(desk.presenceReadiness());
        }
      }),
      { numRuns: 300 },
    );
  });
});
