// The coordinator's dashboard feed against a hub that answers when told to: one publish in
// flight at a time, in order, with what came meanwhile in the next batch; silence while
// nobody listens; a bounded number of retries when the hub fails.
import { afterEach, describe, expect, it, vi } from "vitest";
import { DashboardFeed, PUBLISH_ATTEMPTS } from "../../../durable-objects/queue-coordinator/dashboard-feed.ts";
import type { DashboardBatch, DashboardOutgoing } from "../../../worker/core/queue/dashboard-events.ts";
import type { LiveFigures } from "../../../worker/core/metrics.ts";

const figures = (activeCalls: number): LiveFigures => ({
  activeCalls,
  waiting: { urgent: 0, high: 0, normal: 0, low: 0 },
  longestWaitSeconds: 0,
  agents: { online: 0, available: 0, inCall: 0 },
});

const event = (id: string): DashboardOutgoing => ({
  stream: "calls",
  message: { type: "call_event", event: "call_updated", call: { id } as never, timestamp: "2026-11-22T09:00:00.000Z" },
});
const active = (n: number): DashboardOutgoing => ({
  stream: "calls",
  message: {
    type: "active_calls_update",
    active_calls: Array.from({ length: n }, () => ({}) as never),
    timestamp: "2026-11-22T09:00:00.000Z",
  },
});
const idsOf = (batch: DashboardBatch) =>
  batch.messages.map((m) => (m.message.type === "call_event" ? m.message.call.id : `${m.message.type}`));

/** A hub whose publish answers only when the test says so. */
class ScriptedHub {
  readonly batches: DashboardBatch[] = [];
  private answers: Array<(reply: { listening: boolean }) => void> = [];
  failures = 0;

  publish = (batch: DashboardBatch): Promise<{ listening: boolean }> => {
    if (this.failures > 0) {
      this.failures--;
      return Promise.reject(new Error("hub unavailable"));
    }
    this.batches.push(batch);
    return new Promise((resolve) => this.answers.push(resolve));
  };

  /** Answers the oldest open publish, then lets the feed run on. */
  async answer(listening = true) {
    this.answers.shift()!({ listening });
    await new Promise((resolve) => setTimeout(resolve, 0));
  }

  get open() {
    return this.answers.length;
  }
}

function feedOn(hub: ScriptedHub, live = () => figures(0)) {
  return new DashboardFeed(() => hub, live, 0);
}

afterEach(() => vi.restoreAllMocks());

describe("dashboard feed", () => {
  it("keeps one publish in flight and sends what came meanwhile, in order, in the next", async () => {
    const hub = new ScriptedHub();
    let activeNow = 0;
    const feed = feedOn(hub, () => figures(activeNow));
    const sending = feed.publish([event("a")], 1);
    expect(sending).toBeInstanceOf(Promise);
    expect(feed.publish([event("b"), active(1)], 1)).toBeNull();
    activeNow = 2;
    expect(feed.publish([event("c"), active(2)], 2)).toBeNull();
    expect(hub.batches).toHaveLength(1);
    expect(hub.open).toBe(1);
    await hub.answer();
    expect(hub.batches.map(idsOf)).toEqual([["a"], ["b", "c", "active_calls_update"]]);
    const [first, second] = hub.batches;
    // The superseded active-calls snapshot went; the latest stayed, numbered by its transition.
    expect(second!.messages.at(-1)!.message).toMatchObject({ active_calls: [{}, {}] });
    expect(second!.messages.map((m) => m.seq)).toEqual([1001, 2000, 2000]);
    expect(first!.seq).toBe(1000);
    expect(second!.seq).toBe(2000);
    expect(second!.live.activeCalls).toBe(2);
    await hub.answer();
    await sending;
    // The loop ended; the next change starts a new one.
    expect(feed.publish([event("d")], 3)).toBeInstanceOf(Promise);
  });

  it("stops when the hub says nobody listens and starts again when a dashboard connects", async () => {
    const hub = new ScriptedHub();
    const feed = feedOn(hub);
    const sending = feed.publish([event("a")], 1);
    await hub.answer(false);
    await sending;
    expect(feed.listening).toBe(false);
    expect(feed.listen(1)).toBe(1000);
    expect(feed.listening).toBe(true);
    // What comes after the connect is numbered above the snapshot.
    feed.publish([event("b")], 1);
    expect(hub.batches.at(-1)!.seq).toBe(1001);
  });

  it("does not stop for a 'nobody listens' that predates a dashboard connecting", async () => {
    const hub = new ScriptedHub();
    const feed = feedOn(hub);
    const sending = feed.publish([event("a")], 1);
    feed.listen(1);
    await hub.answer(false);
    await sending;
    expect(feed.listening).toBe(true);
  });

  it("drops what waited when nobody listens any more", async () => {
    const hub = new ScriptedHub();
    const feed = feedOn(hub);
    const sending = feed.publish([event("a")], 1);
    feed.publish([event("b")], 1);
    await hub.answer(false);
    await sending;
    expect(hub.batches.map(idsOf)).toEqual([["a"]]);
  });

  it("retries a failing hub a bounded number of times, then logs and carries on", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const hub = new ScriptedHub();
    const feed = feedOn(hub);
    hub.failures = PUBLISH_ATTEMPTS;
    await feed.publish([event("lost")], 1);
    expect(warn).toHaveBeenCalledOnce();
    expect(hub.batches).toEqual([]);
    expect(feed.listening).toBe(true);
    hub.failures = PUBLISH_ATTEMPTS - 1;
    const sending = feed.publish([event("kept")], 2);
    await vi.waitFor(() => expect(hub.open).toBe(1));
    await hub.answer();
    await sending;
    expect(hub.batches.map(idsOf)).toEqual([["kept"]]);
    expect(warn).toHaveBeenCalledOnce();
  });
});
