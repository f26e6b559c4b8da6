// Races run many times, each with its own random interleaving (issue 12, item 3): a seeded random
// source per iteration, concurrent actions started in random order after random pauses, an alarm
// fired the way the runtime fires it at a deadline, and the checks that nobody is left stuck
// afterwards (the coordinator's memory, its storage, presence's copy and D1 all agree).
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { mulberry32 } from "../../../bench/soak/random.ts";
import { CoordinatorStore } from "../../../durable-objects/queue-coordinator/storage.ts";
import { configFrom } from "../../../worker/config.ts";
import { candidatesFor, usageOf } from "../../../worker/core/queue/eligibility.ts";
import type { QueueState } from "../../../worker/core/queue/types.ts";
import type { Presence } from "../../../worker/core/presence.ts";
import type { Json } from "../support/api.ts";
import { coordinator, type TestSocket } from "../support/queue.ts";
import type { TestTenant } from "../support/tenant.ts";

export type Random = { next(): number; int(n: number): number; pick<T>(items: readonly T[]): T; chance(p: number): boolean };

/** Seeded (mulberry32), enough to choose pauses and orders reproducibly. */
export function randomSource(seed: number): Random {
  const next = mulberry32(seed);
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}

// `VITE_RACE_SEED=<seed> npx vitest run …` replays a failure: its first iteration runs with <seed>.
const replay = Number((import.meta as ImportMeta & { env?: Record<string, string | undefined> }).env?.VITE_RACE_SEED ?? Number.NaN);
const BASE_SEED = Number.isInteger(replay) ? replay : Math.floor(Math.random() * 2 ** 31);

/**
 * Runs `round` `iterations` times, each with its own seed; a failure names the seed that replays
 * it. Each round returns a label for what won. Every label in `expect` must come up (the race
 * really went each way): while one has not, up to `iterations` more rounds run, then the race
 * fails naming it. Rounds on objects of their own (a fresh tenant each) may run `parallel` at a
 * time: the load of the others only shuffles the timings more.
 */
export async function repeatRace(
  iterations: number,
  round: (random: Random, iteration: number) => Promise<string>,
  { parallel = 1, expect: wanted = [] }: { parallel?: number; expect?: string[] } = {},
): Promise<Record<string, number>> {
  const tally: Record<string, number> = {};
  const missing = () => wanted.filter((label) => !tally[label]);
  let next = 0;
  let failure: unknown = null;
  const more = () => failure === null && (next < iterations || (next < 2 * iterations && missing().length > 0));
  const worker = async () => {
    while (more()) {
      const i = next++;
      const seed = (BASE_SEED + i) >>> 0;
      try {
        const outcome = await round(randomSource(seed), i);
        tally[outcome] = (tally[outcome] ?? 0) + 1;
      } catch (err) {
        if (err instanceof Error) err.message = `[iteration ${i}, replay with VITE_RACE_SEED=${seed}] ${err.message}`;
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  if (failure !== null) throw failure;
  expect(missing(), `outcomes never seen in ${next} rounds (seen: ${JSON.stringify(tally)})`).toEqual([]);
  return tally;
}

/** A gap before starting the next action: none (the same turn), a microtask, a macrotask, or up
 * to 120 ms, longer than a request's trip, so that either action may come first. */
async function gap(random: Random) {
  const kind = random.next();
  if (kind < 0.25) return;
  if (kind < 0.35) return await Promise.resolve();
  await new Promise((resolve) => setTimeout(resolve, kind < 0.45 ? 0 : 1 + random.int(120)));
}

/** Starts the actions one after another in a random order, with a random gap before each, and
 * waits for all; answers in the order given. */
export async function interleave<T extends unknown[]>(random: Random, actions: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  const order = actions.map((_, i) => i).sort(() => random.next() - 0.5);
  const started: Array<Promise<unknown>> = new Array(actions.length);
  for (const i of order) {
    await gap(random);
    started[i] = actions[i]!();
  }
  return (await Promise.all(started)) as T;
}

/** The alarm as the runtime fires it at `deadline`: only if it is still set for then or earlier
 * (a request that moved it later means nothing fires at `deadline`). True when it ran. Unlike
 * runDurableObjectAlarm, it never runs an alarm that was moved past the deadline of the race. */
export async function fireAlarmAt(stub: DurableObjectStub, deadline: number): Promise<boolean> {
  return runInDurableObject(stub, async (instance, state) => {
    const at = await state.storage.getAlarm();
    if (at === null || at > deadline) return false;
    await state.storage.deleteAlarm();
    await instance.alarm!();
    return true;
  });
}

/** Keeps an object busy for `ms`, as one under load is: every request to it waits meanwhile. A
 * race against a request that the object answers slowly has a wider window. */
export async function hold(stub: DurableObjectStub, ms: number): Promise<void> {
  await runInDurableObject(stub, (_instance, state) =>
    state.blockConcurrencyWhile(() => new Promise((resolve) => setTimeout(resolve, ms))),
  );
}

/** The time the object's alarm is set for (the race's deadline), failing if none is. */
export async function alarmTime(stub: DurableObjectStub): Promise<number> {
  const at = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
  expect(at, "an alarm is set").not.toBeNull();
  return at!;
}

/** Waits until the object's alarm is set for `deadline` (an outbox retry may hold it earlier for a
 * moment after a change), so that the race is against that deadline. */
export async function alarmSetFor(stub: DurableObjectStub, deadline: number): Promise<number> {
  await expect
    .poll(() => runInDurableObject(stub, (_instance, state) => state.storage.getAlarm()), { timeout: 3000, interval: 10 })
    .toBe(deadline);
  return deadline;
}

/** A request's answer or a socket command's reply, told apart only where it matters. */
export type Reply = { ok: boolean; status: number | null; code: string | null; body: Json };

export const fromRest = (res: { status: number; body: Json }): Reply => ({
  ok: res.status < 300,
  status: res.status,
  code: res.status < 300 ? null : (res.body.error?.code ?? null),
  body: res.body,
});

/** Sends a command on a staff socket and answers with its refusal (an `error` naming it) or, if
 * none came, success. A frame the socket cannot read follows it as a barrier: the socket handles
 * frames in order, so once the barrier's error is back, any refusal of the command is too. */
export async function overSocket(socket: TestSocket, command: Json): Promise<Reply> {
  const before = socket.messages.length;
  const barrier = `barrier-${crypto.randomUUID()}`;
  socket.send(command);
  socket.send({ type: barrier });
  await socket.next("error", (m) => m.request_type === barrier);
  const refusal = socket.messages.slice(before).find((m) => m.type === "error" && m.request_type === command.type);
  return refusal ? { ok: false, status: null, code: refusal.code, body: refusal } : { ok: true, status: null, code: null, body: {} };
}

/** The messages a socket received, without the replies to barriers (those go to one socket only). */
export const received = (socket: TestSocket) =>
  socket.messages.filter((m) => !(m.type === "error" && String(m.request_type).startsWith("barrier-")));

/** A loser's answer: a contract refusal with one of `codes` (409 over REST), never a 5xx. */
export function expectRefused(reply: Reply, codes: string[], status = 409) {
  expect(reply.ok, `expected a refusal, got ${JSON.stringify(reply.body)}`).toBe(false);
  if (reply.status !== null) expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  expect(codes, JSON.stringify(reply.body)).toContain(reply.code);
}

export function expectWorked(reply: Reply) {
  expect(reply.ok, `expected success, got ${reply.status} ${JSON.stringify(reply.body)}`).toBe(true);
}

/**
 * The tenant's queue once the race is over and its outbox has drained: the same in memory as in
 * storage, nobody reserved or busy without a live call, no call assigned without its agent, no
 * capacity exceeded, no waiting call while an eligible agent is free, and every agent's presence
 * object holding the coordinator's current status and load. Returns the state for the race's own
 * assertions.
 */
export async function settledQueue(t: TestTenant): Promise<QueueState> {
  await coordinator(t).flushOutbox();
  const { live, stored, outbox, clock } = await runInDurableObject(coordinator(t), (instance, state) => ({
    live: (instance as unknown as { state: QueueState }).state,
    stored: new CoordinatorStore(state.storage.sql).loadState(),
    outbox: state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox").one().n,
    clock: Number(new CoordinatorStore(state.storage.sql).meta("clock") ?? 0),
  }));
  expect(outbox, "outbox rows left after a flush").toBe(0);
  expect(stored.calls).toEqual(live.calls);
  expect(stored.agents).toEqual(live.agents);

  const usage = usageOf(live);
  for (const agent of live.agents.values()) {
    expect(usage.get(agent.id)!, `agent ${agent.id} over capacity`).toBeLessThanOrEqual(agent.maxCalls);
    const assigned = [...live.calls.values()].filter((c) => c.assignedAgentId === agent.id).map((c) => c.id);
    expect([...agent.activeCallIds].sort(), `agent ${agent.id}'s active calls`).toEqual(assigned.sort());
  }
  const config = { ...configFrom(env).queue, strategy: "score" as const };
  for (const call of live.calls.values()) {
    if (call.offer) {
      expect(call.status).toBe("pending");
      expect(live.agents.get(call.offer.agentId)?.status, "an offer to an agent who is not online").toBe("online");
    }
    if (call.status === "pending") expect(call.assignedAgentId).toBeNull();
    else expect(live.agents.get(call.assignedAgentId!)?.activeCallIds).toContain(call.id);
    if (call.status === "pending" && !call.offer) {
      const free = candidatesFor(call, live.agents.values(), usage, clock, config).agents.map((a) => a.id);
      expect(free, `call ${call.id} waits while agents are free`).toEqual([]);
    }
  }
  for (const agent of live.agents.values()) {
    const load = { status: agent.status, activeCalls: agent.activeCallIds.length, maxCalls: agent.maxCalls };
    await expect
      .poll(
        async () => {
          const held = await runInDurableObject(env.AGENT_PRESENCE.getByName(`${t.id}:${agent.id}`), (_i, state) =>
            state.storage.get<Presence>("presence"),
          );
          return held ? { status: held.queue.status, activeCalls: held.queue.activeCalls, maxCalls: held.queue.maxCalls } : null;
        },
        { timeout: 3000, interval: 20 },
      )
      .toEqual(load);
  }
  return live;
}

/** The call's D1 record after the outbox drained, against the coordinator's final word on it:
 * status and agent, at most one open offer (the live one), at most one accepted offer, the
 * verification's status, and the completion's audit record exactly when it completed. */
export async function expectD1Agrees(t: TestTenant, callId: string): Promise<Json> {
  await coordinator(t).flushOutbox();
  const view = (await coordinator(t).getCall(callId))!;
  expect(view, "the coordinator knows the call").not.toBeNull();
  const row = await env.DB.prepare("SELECT status, agent_id, decision, verification_id FROM video_calls WHERE id = ?")
    .bind(callId)
    .first<Json>();
  expect(row, "the call's D1 row").not.toBeNull();
  expect(row!.status).toBe(view.status);
  if (view.status !== "pending") expect(row!.agent_id).toBe(view.assigned_agent_id ?? null);
  else expect(row!.agent_id).toBeNull();
  const offers = (await env.DB.prepare("SELECT agent_id, outcome FROM call_offers WHERE call_id = ?").bind(callId).all<Json>()).results;
  const open = offers.filter((o) => o.outcome === null).map((o) => o.agent_id);
  expect(open, "open offers in D1").toEqual(view.offered_to ? [view.offered_to] : []);
  expect(offers.filter((o) => o.outcome === "accepted").length).toBeLessThanOrEqual(1);
  const verification = await env.DB.prepare("SELECT status FROM verifications WHERE id = ?").bind(row!.verification_id).first<Json>();
  const expected: Record<string, string> = {
    pending: "pending_video_call",
    assigned: "pending_video_call",
    in_progress: "in_video_call",
    cancelled: "pending_video_call",
    abandoned: "pending_video_call",
  };
  expect(verification!.status).toBe(view.status === "completed" ? view.decision : expected[view.status]);
  const records = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_records WHERE id = ?")
    .bind(`video_call:${callId}:completed`)
    .first<{ n: number }>();
  expect(records!.n).toBe(view.status === "completed" ? 1 : 0);
  return view;
}
