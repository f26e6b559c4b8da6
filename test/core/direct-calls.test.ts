import { describe, expect, it } from "vitest";
import {
  callDeadline,
  endsCall,
  NOWHERE,
  ringOutcome,
  transition,
  userStatus,
  videoDeskPresence,
  type DirectCall,
} from "../../worker/core/direct-calls.ts";
import { NO_PRESENCE, type PresenceFacts } from "../../worker/core/readiness.ts";

const T = 1_800_000_000_000;
const call = (overrides: Partial<DirectCall> = {}): DirectCall => ({
  id: "c1",
  tenantId: "t",
  callerId: "caller",
  calleeId: "callee",
  callerName: "A",
  calleeName: "B",
  status: "ringing",
  sessionId: "s1",
  createdAt: T,
  ringDeadline: T + 30_000,
  answeredAt: null,
  endedAt: null,
  endReason: null,
  seenAt: null,
  ...overrides,
});
const here = (lastSeen: number | null, manualStatus: "online" | "busy" | "offline" | null = null) => ({
  userId: "u",
  name: "U",
  lastSeen,
  manualStatus,
});

describe("user status", () => {
  it("is offline without a heartbeat in the last 30 seconds, or by choice", () => {
    expect(userStatus(undefined, undefined, NOWHERE, T, 30_000)).toBe("offline");
    expect(userStatus(here(T - 31_000), undefined, NOWHERE, T, 30_000)).toBe("offline");
    expect(userStatus(here(T - 29_000, "offline"), undefined, NOWHERE, T, 30_000)).toBe("offline");
    expect(userStatus(here(T - 29_000), undefined, NOWHERE, T, 30_000)).toBe("online");
  });

  it("is reachable while present elsewhere (a socket, the video desk) without a heartbeat here, unless offline by choice", () => {
    const there = { present: true, busy: false };
    expect(userStatus(undefined, undefined, there, T, 30_000)).toBe("online");
    expect(userStatus(here(T - 31_000), undefined, there, T, 30_000)).toBe("online");
    expect(userStatus(here(T, "offline"), undefined, there, T, 30_000)).toBe("offline");
  });

  it("places an agent at the video desk by the facts readiness reads", () => {
    const facts = (presence: PresenceFacts, activeCalls = 0) => ({
      presence,
      load: { status: "online" as const, activeCalls, maxCalls: 2, at: T },
    });
    const on = { agentHeartbeat: true, deviceConnectivity: true };
    const stale: PresenceFacts = { lastBeatAt: T - 60_000, deviceConnected: true, fresh: false, offline: false, at: T };
    expect(videoDeskPresence(facts(NO_PRESENCE), false, on)).toEqual({ present: false, busy: false });
    expect(videoDeskPresence(facts(NO_PRESENCE), true, on)).toEqual({ present: true, busy: false });
    expect(videoDeskPresence(facts(stale), false, on)).toEqual({ present: true, busy: false });
    expect(videoDeskPresence(facts(stale), false, { ...on, agentHeartbeat: false }).present).toBe(false);
    expect(videoDeskPresence(facts({ ...stale, deviceConnected: false, offline: true }), false, on).present).toBe(false);
    expect(videoDeskPresence(facts(stale, 1), false, on)).toEqual({ present: true, busy: true });
  });

  it("is in_call during an answered call, busy while ringing, by choice or elsewhere", () => {
    expect(userStatus(here(T), call({ status: "answered" }), NOWHERE, T, 30_000)).toBe("in_call");
    expect(userStatus(here(T), call(), NOWHERE, T, 30_000)).toBe("busy");
    expect(userStatus(here(T, "busy"), undefined, NOWHERE, T, 30_000)).toBe("busy");
    expect(userStatus(here(T), undefined, { present: false, busy: true }, T, 30_000)).toBe("busy");
  });

  it("lets a call ring only an online callee", () => {
    expect([ringOutcome("online"), ringOutcome("busy"), ringOutcome("in_call"), ringOutcome("offline")]).toEqual([
      "ringing",
      "busy",
      "busy",
      "offline",
    ]);
  });
});

describe("transitions", () => {
  it("answers, rejects and hangs up by the rules of who may", () => {
    expect(transition(call(), "answer", "callee", T)).toMatchObject({
      ok: true,
      event: "call_answered",
      call: { status: "answered", answeredAt: T },
    });
    expect(transition(call(), "answer", "caller", T)).toMatchObject({ ok: false, status: 403 });
    expect(transition(call(), "reject", "callee", T)).toMatchObject({ ok: true, call: { status: "rejected" } });
    expect(transition(call(), "hangup", "caller", T)).toMatchObject({
      ok: true,
      event: "call_missed",
      call: { status: "missed", endReason: "caller_cancelled" },
    });
    expect(transition(call({ status: "answered", answeredAt: T }), "hangup", "callee", T + 5000)).toMatchObject({
      ok: true,
      event: "call_ended",
      call: { status: "ended", endReason: "callee_hung_up" },
    });
    expect(transition(call(), "answer", "stranger", T)).toMatchObject({ ok: false, status: 403 });
    expect(transition(call({ status: "ended" }), "hangup", "caller", T)).toMatchObject({ ok: false, status: 409 });
  });

  it("turns an unanswered call missed at its ring deadline, not before", () => {
    expect(transition(call(), "timeout", "system", T + 29_999)).toMatchObject({ ok: false, code: "not_due" });
    expect(transition(call(), "timeout", "system", T + 30_000)).toMatchObject({
      ok: true,
      call: { status: "missed", endReason: "no_answer" },
    });
  });

  it("ends an answered call left open past the maximum", () => {
    const answered = call({ status: "answered", answeredAt: T, ringDeadline: null });
    expect(callDeadline(answered, 60_000)).toBe(T + 60_000);
    expect(transition(answered, "timeout", "system", T + 59_999, 60_000)).toMatchObject({ ok: false });
    expect(transition(answered, "timeout", "system", T + 60_000, 60_000)).toMatchObject({
      ok: true,
      call: { status: "ended", endReason: "timeout" },
    });
  });

  it("marks the moment a call ends, once", () => {
    expect(endsCall(call(), call({ status: "missed" }))).toBe(true);
    expect(endsCall(undefined, call({ status: "offline" }))).toBe(true);
    expect(endsCall(call({ status: "missed" }), call({ status: "missed", seenAt: T }))).toBe(false);
    expect(endsCall(call(), call({ status: "answered" }))).toBe(false);
  });
});

describe("who may call whom", () => {
  it("lets customers reach staff only, and staff anyone", async () => {
    const { mayReach } = await import("../../worker/core/direct-calls.ts");
    expect(mayReach({ id: "c1", staff: false }, { id: "a1", staff: true })).toBe(true);
    expect(mayReach({ id: "c1", staff: false }, { id: "c2", staff: false })).toBe(false);
    expect(mayReach({ id: "a1", staff: true }, { id: "c1", staff: false })).toBe(true);
  });
});

describe("placing a call", () => {
  const place = async (calleeStatus: "online" | "busy" | "in_call" | "offline") => {
    const { placeCall } = await import("../../worker/core/direct-calls.ts");
    return placeCall({
      ids: { call: "c", session: "s" },
      tenantId: "t",
      caller: { id: "a", name: "A" },
      callee: { id: "b", name: "B" },
      calleeStatus,
      now: T,
      ringMs: 30_000,
    });
  };

  it("rings an online callee with a session and a ring deadline", async () => {
    expect(await place("online")).toMatchObject({ status: "ringing", sessionId: "s", ringDeadline: T + 30_000, endedAt: null });
  });

  it("ends at once, without a session, for a busy or offline callee", async () => {
    expect(await place("in_call")).toMatchObject({ status: "busy", sessionId: null, ringDeadline: null, endedAt: T, endReason: "busy" });
    expect(await place("offline")).toMatchObject({ status: "offline", endedAt: T, endReason: "offline" });
  });
});
