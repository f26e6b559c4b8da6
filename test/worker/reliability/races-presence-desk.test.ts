// Races against alarms outside the queue, each run many times with random interleavings (issue
// 12, item 3): a heartbeat against the presence object's offline alarm, and a direct call's answer
// against its ring timeout (the desk's alarm). The alarm is fired as the runtime fires it at the
// deadline, while the request is in flight.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Presence } from "../../../worker/core/presence.ts";
import { callJson, type Json } from "../support/api.ts";
import { coordinator, makeReady, openSocket, presence } from "../support/queue.ts";
import { newTenant, type TestUser } from "../support/tenant.ts";
import {
  alarmSetFor,
  alarmTime,
  expectRefused,
  fireAlarmAt,
  fromRest,
  hold,
  interleave,
  repeatRace,
  settledQueue,
} from "./races-support.ts";

const ITERATIONS = 20;
/** Many rounds in one test: a loaded machine must not turn them into a timeout. */
const RACE_TIMEOUT = 120_000;
/** Each round has a tenant of its own, so a few run at once; every label in `expected` must win
 * some round. */
const rounds = (expected: string[], round: Parameters<typeof repeatRace>[1]) =>
  repeatRace(ITERATIONS, round, { parallel: 4, expect: expected });
/** Beat rounds are cheap (one agent throughout), and the window they aim at is narrow. */
const BEAT_ROUNDS = 40;

describe("a heartbeat against the offline alarm", { timeout: RACE_TIMEOUT }, () => {
  it("leaves an agent whose dashboard beats as the alarm fires online, with presence and the queue agreeing", async () => {
    // One agent for every round: each round's alarms move presence's clock on, so the next round
    // starts from a fresh beat again (and rounds stay cheap enough to run many).
    const t = await newTenant({ agents: 1, customers: 0 });
    const agent = t.agents[0]!;
    await makeReady(agent);
    await repeatRace(
      BEAT_ROUNDS,
      async (random) => {
        // Silence: the first alarm reports the beat stale; the next one would report the agent offline.
        expect(await fireAlarmAt(presence(t, agent), await alarmTime(presence(t, agent)))).toBe(true);
        const offlineAt = await alarmTime(presence(t, agent));

        // A queue slow to answer (held for a few ms) keeps the alarm's report in flight longer.
        const [beat, fired] = await interleave(random, [
          () => callJson("/agents/heartbeat", { token: agent.token, json: { device_connected: true, current_status: "online" } }),
          () => fireAlarmAt(presence(t, agent), offlineAt),
          () => hold(coordinator(t), random.int(30)),
        ]);

        expect(beat.status, JSON.stringify(beat.body)).toBe(200);
        // The dashboard believes it is online and has just beaten: whichever came first, it is
        // online now, and its reply said so.
        expect(beat.body.status).toBe("online");
        const state = await settledQueue(t);
        const queued = state.agents.get(agent.id)!;
        expect(queued.status).toBe("online");
        const held = await runInDurableObject(presence(t, agent), (_i, s) => s.storage.get<Presence>("presence"));
        // What the queue holds is what presence last had acknowledged: fresh, since the beat.
        expect(queued.presence).toEqual(held!.reported);
        expect(queued.presence).toMatchObject({ fresh: true, offline: false, deviceConnected: true });
        return fired ? "alarm fired" : "beat moved the alarm";
      },
      { expect: ["alarm fired", "beat moved the alarm"] },
    );
  });

  it("never loses a beat sent over the agent's socket as the alarm fires: the queue's copy of presence is fresh", async () => {
    const t = await newTenant({ agents: 1, customers: 0 });
    const agent = t.agents[0]!;
    await makeReady(agent);
    const socket = await openSocket("/video-calls/ws", agent.token);
    await socket.next("initial_state");
    /** A socket beat carries no status, so it never restores one: only the record of the beat. */
    const socketBeat = async () => {
      const before = socket.messages.length;
      socket.send({ type: "heartbeat", device_connected: true });
      return socket.next("heartbeat_ack", (m) => socket.messages.indexOf(m) >= before);
    };
    await repeatRace(
      BEAT_ROUNDS,
      async (random) => {
        // Online again (a status of its own, as the agent's dashboard would send after offline).
        expect((await callJson("/video-calls/agents/status", { token: agent.token, json: { status: "online" } })).status).toBe(200);
        expect(await fireAlarmAt(presence(t, agent), await alarmTime(presence(t, agent)))).toBe(true);
        const offlineAt = await alarmTime(presence(t, agent));

        const [ack, fired] = await interleave(random, [
          socketBeat,
          () => fireAlarmAt(presence(t, agent), offlineAt),
          () => hold(coordinator(t), random.int(30)),
        ]);

        // Offline when the alarm came first (a socket beat restores nothing), online otherwise;
        // either way the beat itself reached the queue.
        const state = await settledQueue(t);
        const queued = state.agents.get(agent.id)!;
        expect(queued.status).toBe(fired ? "offline" : "online");
        expect(ack.status).toBe(queued.status);
        const held = await runInDurableObject(presence(t, agent), (_i, s) => s.storage.get<Presence>("presence"));
        expect(queued.presence).toEqual(held!.reported);
        expect(queued.presence).toMatchObject({ fresh: true, offline: false, deviceConnected: true });
        return fired ? "alarm fired" : "beat moved the alarm";
      },
      { expect: ["alarm fired", "beat moved the alarm"] },
    );
    socket.close();
  });
});

const desk = (tenantId: string) => env.DIRECT_CALL_DESK.getByName(tenantId);
const act = (user: TestUser, action: string, callId: string) =>
  callJson(`/call/${action}`, { token: user.token, json: { call_id: callId } });
const statusOf = async (viewer: TestUser, user: TestUser) =>
  (await callJson(`/status/user/${user.id}`, { token: viewer.token })).body.status;

describe("a direct call's answer against its ring timeout", { timeout: RACE_TIMEOUT }, () => {
  it("either connects the call or misses it, never both; a late answer gets 409", async () => {
    await rounds(["answered", "missed"], async (random) => {
      const t = await newTenant({ agents: 1, customers: 1 });
      const [caller, callee] = [t.customers[0]!, t.agents[0]!];
      await Promise.all([caller, callee].map((u) => callJson("/status/heartbeat", { token: u.token, method: "POST" })));
      const [callerEvents, calleeEvents] = await Promise.all([openSocket("/call/ws", caller.token), openSocket("/call/ws", callee.token)]);
      await Promise.all([callerEvents.next("connected"), calleeEvents.next("connected")]);
      const rung = await callJson("/call/initiate", { token: caller.token, json: { callee_id: callee.id } });
      expect(rung.status).toBe(201);
      const callId = rung.body.call_id as string;
      // The ring timeout (DIRECT_CALL_RING_SECONDS, 30 s by default) is the desk's next alarm.
      const ringsUntil = await alarmSetFor(desk(t.id), Date.parse(rung.body.created_at) + 30_000);

      const [answered] = await interleave(random, [
        () => act(callee, "answer", callId).then(fromRest),
        () => fireAlarmAt(desk(t.id), ringsUntil),
      ]);

      const final = (await callJson(`/call/${callId}`, { token: caller.token })).body;
      const ending = answered.ok ? "call_answered" : "call_missed";
      if (answered.ok) {
        expect(final).toMatchObject({ status: "answered", end_reason: null });
        expect([await statusOf(caller, callee), await statusOf(callee, caller)]).toEqual(["in_call", "in_call"]);
      } else {
        expectRefused(answered, ["call_not_ringing"]);
        expect(final).toMatchObject({ status: "missed", end_reason: "no_answer", answered_at: null });
        expect(await statusOf(caller, callee)).toBe("online");
        const missed = await callJson("/call/missed", { token: callee.token });
        expect(missed.body.items.map((c: Json) => c.call_id)).toEqual([callId]);
      }
      // Both people heard the one outcome, and neither heard the other.
      for (const events of [callerEvents, calleeEvents]) {
        await events.next(ending, (m) => m.call.call_id === callId);
        expect(events.messages.filter((m) => m.type === "call_answered" || m.type === "call_missed").map((m) => m.type)).toEqual([ending]);
      }
      // D1 holds the same, and the audit log's record exists exactly when the call ended.
      await desk(t.id).flushOutbox();
      const row = await env.DB.prepare("SELECT status, end_reason FROM direct_calls WHERE id = ?").bind(callId).first<Json>();
      expect(row).toEqual({ status: final.status, end_reason: final.end_reason });
      const records = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_records WHERE id = ?")
        .bind(`direct_call:${callId}:ended`)
        .first<{ n: number }>();
      expect(records!.n).toBe(answered.ok ? 0 : 1);
      callerEvents.close();
      calleeEvents.close();
      return final.status;
    });
  });
});
