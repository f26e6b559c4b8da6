// Races on the video-call queue, each run many times with random interleavings through the real
// API and sockets (issue 12, item 3): exactly one winner, every loser a contract refusal (409),
// and afterwards nobody stuck, the coordinator's memory, storage, presence's copy and D1 agreeing.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { TEST_BINDINGS } from "../../bindings.ts";
import { callJson, type Json } from "../support/api.ts";
import { coordinator, makeReady, openSocket, queuedCall, type TestSocket } from "../support/queue.ts";
import { newTenant, type TestUser } from "../support/tenant.ts";
import {
  alarmSetFor,
  expectD1Agrees,
  expectRefused,
  expectWorked,
  fireAlarmAt,
  fromRest,
  interleave,
  overSocket,
  received,
  repeatRace,
  settledQueue,
  type Random,
  type Reply,
} from "./races-support.ts";

const ITERATIONS = 20;
const DIGEST_MS = Number(TEST_BINDINGS.STAFF_DIGEST_INTERVAL_MS);
/** Many rounds in one test: a loaded machine must not turn them into a timeout. */
const RACE_TIMEOUT = 120_000;
/** Each round has a tenant of its own, so a few run at once; every label in `expected` must win
 * some round. */
const rounds = (expected: string[], round: Parameters<typeof repeatRace>[1]) =>
  repeatRace(ITERATIONS, round, { parallel: 4, expect: expected });

/** An agent's accept, over REST or over one of their sockets (chosen before the race starts). */
function acceptBy(random: Random, agent: TestUser, socket: TestSocket, callId: string): () => Promise<Reply> {
  return random.chance(0.5)
    ? () => callJson(`/video-calls/${callId}/accept`, { token: agent.token, method: "POST" }).then(fromRest)
    : () => overSocket(socket, { type: "accept", call_id: callId });
}

async function staffSocket(user: TestUser): Promise<TestSocket> {
  const socket = await openSocket("/video-calls/ws", user.token);
  await socket.next("initial_state");
  return socket;
}

/** Sets a status without a heartbeat: "busy" keeps an agent assignable by a manager but out of offers. */
async function setStatus(agent: TestUser, status: string) {
  expect((await callJson("/video-calls/agents/status", { token: agent.token, json: { status } })).status).toBe(200);
}

const closeAll = (...sockets: TestSocket[]) => sockets.forEach((s) => s.close());

describe("races on the video-call queue", { timeout: RACE_TIMEOUT }, () => {
  it("gives a contested call to exactly one of two agents accepting at once; the other gets 409", async () => {
    await rounds(["agent 1 won", "agent 2 won"], async (random) => {
      const t = await newTenant({ agents: 2, customers: 1 });
      // Sometimes the call is reserved for the first agent; otherwise it waits unoffered.
      const offered = random.chance(0.3);
      if (offered) await makeReady(t.agents[0]!);
      const call = await queuedCall(t, t.customers[0]!);
      const sockets = await Promise.all(t.agents.map(staffSocket));
      const replies = await interleave(
        random,
        t.agents.map((a, i) => acceptBy(random, a, sockets[i]!, call.call_id)),
      );

      const winners = replies.flatMap((r, i) => (r.ok ? [i] : []));
      expect(winners, JSON.stringify(replies)).toHaveLength(1);
      const [winner] = winners as [number];
      if (offered) expect(winner).toBe(0);
      // Refused while reserved for the first agent, or once the first agent took it.
      expectRefused(replies[1 - winner]!, offered ? ["call_offered_to_another_agent", "call_already_taken"] : ["call_already_taken"]);

      const state = await settledQueue(t);
      expect(state.calls.get(call.call_id)).toMatchObject({ status: "assigned", assignedAgentId: t.agents[winner]!.id, offer: null });
      expect(state.agents.get(t.agents[1 - winner]!.id)?.activeCallIds ?? []).toEqual([]);
      await expectD1Agrees(t, call.call_id);
      for (const socket of sockets) await socket.next("call_taken", (m) => m.call_id === call.call_id && m.by === t.agents[winner]!.id);
      expect(received(sockets[winner]!).filter((m) => m.type === "call_assigned")).toHaveLength(1);
      expect(received(sockets[1 - winner]!).filter((m) => m.type === "call_assigned")).toHaveLength(0);
      closeAll(...sockets);
      return offered ? "offered" : `agent ${winner + 1} won`;
    });
  });

  it("lets an agent's accept and the offer's expiry race: accepted, or expired and offered on with the accept refused (409)", async () => {
    await rounds(["accepted", "expired"], async (random) => {
      const t = await newTenant({ agents: 2, customers: 1 });
      const [first, second] = t.agents as [TestUser, TestUser];
      await makeReady(first);
      const call = await queuedCall(t, t.customers[0]!);
      await makeReady(second);
      const offer = (await callJson(`/video-calls/${call.call_id}`, { token: t.manager.token })).body;
      expect(offer.offered_to).toBe(first.id);
      const expiresAt = await alarmSetFor(coordinator(t), Date.parse(offer.offer_expires_at));
      const socket = await staffSocket(first);

      const [reply] = await interleave(random, [
        acceptBy(random, first, socket, call.call_id),
        () => fireAlarmAt(coordinator(t), expiresAt),
      ]);

      const state = await settledQueue(t);
      const live = state.calls.get(call.call_id)!;
      let outcome: string;
      if (reply.ok) {
        expect(live).toMatchObject({ status: "assigned", assignedAgentId: first.id, offer: null });
        expect(state.agents.get(second.id)!.activeCallIds).toEqual([]);
        outcome = "accepted";
      } else {
        expectRefused(reply, ["call_offered_to_another_agent"]);
        expect(live).toMatchObject({ status: "pending", assignedAgentId: null, offer: { agentId: second.id } });
        expect(state.agents.get(first.id)).toMatchObject({ activeCallIds: [], missedOffersInRow: 1 });
        await socket.next("offer_revoked", (m) => m.call_id === call.call_id && m.reason === "expired");
        outcome = "expired";
      }
      await expectD1Agrees(t, call.call_id);
      socket.close();
      return outcome;
    });
  });

  it("lets exactly one of complete and cancel end a started call; the other gets 409, and the customer hears one ending", async () => {
    await rounds(["cancelled", "completed"], async (random) => {
      const t = await newTenant({ agents: 1, customers: 1 });
      const [agent, customer] = [t.agents[0]!, t.customers[0]!];
      await makeReady(agent);
      const call = await queuedCall(t, customer);
      expect((await callJson(`/video-calls/${call.call_id}/accept`, { token: agent.token, method: "POST" })).status).toBe(200);
      expect((await callJson(`/video-calls/${call.call_id}/start`, { token: agent.token, method: "POST" })).status).toBe(200);
      const room = await openSocket(`/video-calls/${call.call_id}/ws`, customer.token);
      const canceller = random.pick([customer, t.manager]);

      const [completed, cancelled] = await interleave(random, [
        () =>
          callJson(`/video-calls/${call.call_id}/complete`, {
            token: agent.token,
            json: { call_notes: "Passport matches the face on camera.", verification_result: "approved" },
          }).then(fromRest),
        () => callJson(`/video-calls/${call.call_id}/cancel`, { token: canceller.token, method: "POST" }).then(fromRest),
      ]);

      expect([completed.ok, cancelled.ok].filter(Boolean), JSON.stringify([completed, cancelled])).toHaveLength(1);
      expectRefused(completed.ok ? cancelled : completed, ["call_already_closed"]);
      const state = await settledQueue(t);
      expect(state.calls.has(call.call_id)).toBe(false);
      expect(state.agents.get(agent.id)!.activeCallIds).toEqual([]);
      const view = await expectD1Agrees(t, call.call_id);
      expect(view.status).toBe(completed.ok ? "completed" : "cancelled");
      const ending = completed.ok ? "call_completed" : "call_cancelled";
      await room.next(ending);
      expect(room.messages.filter((m) => m.type === "call_completed" || m.type === "call_cancelled").map((m) => m.type)).toEqual([ending]);
      room.close();
      return view.status;
    });
  });

  it("lets a manager's assignment and an agent's accept race: the call ends with exactly one agent, a late accept gets 409", async () => {
    await rounds(["accept first, then reassigned", "assignment first"], async (random) => {
      const t = await newTenant({ agents: 2, customers: 1 });
      const [taker, other] = t.agents as [TestUser, TestUser];
      // Offered to the taker first, or waiting unoffered (a busy agent takes no offers).
      const offered = random.chance(0.5);
      if (offered) await makeReady(taker);
      else await setStatus(taker, "busy");
      await setStatus(other, "busy");
      const call = await queuedCall(t, t.customers[0]!);
      const target = random.chance(0.6) ? other : taker;
      const socket = await staffSocket(taker);

      const [accepted, assigned] = await interleave(random, [
        acceptBy(random, taker, socket, call.call_id),
        () => callJson(`/video-calls/${call.call_id}/assign`, { token: t.manager.token, json: { agent_id: target.id } }).then(fromRest),
      ]);

      // The manager's word stands: the assignment always works, and the call ends with its agent.
      expectWorked(assigned);
      expect(assigned.body.assigned_agent_id).toBe(target.id);
      if (target === taker) expectWorked(accepted);
      else if (!accepted.ok) expectRefused(accepted, ["call_already_taken"]);
      const state = await settledQueue(t);
      expect(state.calls.get(call.call_id)).toMatchObject({ status: "assigned", assignedAgentId: target.id, offer: null });
      const bystander = target === taker ? other : taker;
      expect(state.agents.get(bystander.id)?.activeCallIds ?? []).toEqual([]);
      await expectD1Agrees(t, call.call_id);
      socket.close();
      return target === taker ? "same agent" : accepted.ok ? "accept first, then reassigned" : "assignment first";
    });
  });

  it("resolves in D1 the offer of the agent a manager assigns the call to (found by the race above)", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    const agent = t.agents[0]!;
    await makeReady(agent);
    const call = await queuedCall(t, t.customers[0]!);
    const assigned = await callJson(`/video-calls/${call.call_id}/assign`, { token: t.manager.token, json: { agent_id: agent.id } });
    expect(assigned.status).toBe(200);
    await settledQueue(t);
    await expectD1Agrees(t, call.call_id);
    const offers = await env.DB.prepare("SELECT outcome FROM call_offers WHERE call_id = ?").bind(call.call_id).all();
    expect(offers.results).toEqual([{ outcome: "released" }]);
  });

  it("shows two tabs of one agent every message, and of their two accepts one takes the call", async () => {
    await rounds([], async (random) => {
      const t = await newTenant({ agents: 1, customers: 1 });
      const agent = t.agents[0]!;
      await makeReady(agent);
      const tabs = [await staffSocket(agent), await staffSocket(agent)] as const;
      const call = await queuedCall(t, t.customers[0]!);
      for (const tab of tabs) await tab.next("call_offered", (m) => m.call_id === call.call_id);

      const replies = await interleave(
        random,
        tabs.map((tab) => acceptBy(random, agent, tab, call.call_id)),
      );

      // Both of the agent's own accepts succeed (a repeat is answered with the call), but the
      // call is assigned once: one call_assigned on each tab, one accepted offer.
      for (const reply of replies) expectWorked(reply);
      for (const tab of tabs) await tab.next("call_assigned", (m) => m.call.id === call.call_id);
      const state = await settledQueue(t);
      expect(state.calls.get(call.call_id)).toMatchObject({ status: "assigned", assignedAgentId: agent.id });
      expect(state.agents.get(agent.id)!.activeCallIds).toEqual([call.call_id]);
      await expectD1Agrees(t, call.call_id);
      const offers = await env.DB.prepare("SELECT outcome FROM call_offers WHERE call_id = ?").bind(call.call_id).all();
      expect(offers.results).toEqual([{ outcome: "accepted" }]);
      // A barrier on each tab: everything the object sent before it has arrived on both.
      for (const tab of tabs) await overSocket(tab, { type: "ping" });
      const [first, second] = tabs.map((tab) => received(tab).filter((m) => m.type !== "connected" && m.type !== "pong"));
      expect(first!.filter((m) => m.type === "call_assigned")).toHaveLength(1);
      expect(second).toEqual(first);
      closeAll(...tabs);
      return "one assignment";
    });
  });

  it("lets a customer's cancel race the offer of their call: cancelled, with no reservation left and a late accept refused (409)", async () => {
    await rounds(["cancelled before the offer", "accepted, then cancelled", "offered, accept too late"], async (random) => {
      const t = await newTenant({ agents: 1, customers: 1 });
      const [agent, customer] = [t.agents[0]!, t.customers[0]!];
      const socket = await staffSocket(agent);
      const call = await queuedCall(t, customer);
      const accept = acceptBy(random, agent, socket, call.call_id);
      // A call cancelled before anyone was offered it is not the desk's news (issue 9: agents hear
      // of other calls through the coalesced digest, and this one came and went between two).
      let cancelAnswered = () => {};
      const cancelDone = new Promise<void>((done) => (cancelAnswered = done));

      const [, cancelled, accepted] = await interleave(random, [
        () => makeReady(agent),
        () =>
          callJson(`/video-calls/${call.call_id}/cancel`, { token: customer.token, method: "POST" }).then(fromRest).finally(cancelAnswered),
        // The agent's desk accepts an offer as soon as it sees one.
        async () => {
          const seen = await Promise.race([
            socket.next("call_offered", (m) => m.call_id === call.call_id, RACE_TIMEOUT),
            cancelDone.then(() => new Promise<null>((done) => setTimeout(() => done(null), 2 * DIGEST_MS + 100))),
          ]);
          return seen ? accept() : null;
        },
      ]);

      // The customer's cancel always ends the call, whoever came first.
      expectWorked(cancelled);
      if (accepted && !accepted.ok) expectRefused(accepted, ["call_already_closed"]);
      const state = await settledQueue(t);
      expect(state.calls.has(call.call_id)).toBe(false);
      expect(state.agents.get(agent.id)).toMatchObject({ status: "online", activeCallIds: [] });
      const view = await expectD1Agrees(t, call.call_id);
      expect(view).toMatchObject({ status: "cancelled", end_reason: "customer_cancelled" });
      // An offer the agent saw was withdrawn (or, once accepted, the call's end was announced).
      if (socket.all("call_offered").length > 0 && !accepted?.ok)
        await socket.next("offer_revoked", (m: Json) => m.call_id === call.call_id && m.reason === "call_closed");
      // The agent whose call it was hears its end at once.
      if (accepted?.ok) await socket.next("call_cancelled", (m) => m.call_id === call.call_id);
      socket.close();
      return accepted === null ? "cancelled before the offer" : accepted.ok ? "accepted, then cancelled" : "offered, accept too late";
    });
  });
});
