// The QueueCoordinator's D1 outbox while D1 fails, with commands still coming. The failure is
// simulated: the object's D1 binding is wrapped so that its batches (every outbox flush is one
// D1 batch) throw, or commit and then throw as if the answer were lost. Afterwards the outbox
// drains in order: D1 shows each call's last state, each offer and audit record once.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { OUTBOX_RETRY_MS } from "../../../durable-objects/shared/outbox.ts";
import { callJson, type Json } from "../support/api.ts";
import { coordinator, makeReady, queuedCall } from "../support/queue.ts";
import { newTenant, type TestTenant, type TestUser } from "../support/tenant.ts";

/** How the wrapped binding answers a batch: normally, by throwing before writing anything, or by
 * writing it and then throwing (the commit happened, the answer was lost). */
type D1Mode = "healthy" | "refuse" | "lose_answer";
type Outage = { mode: D1Mode; refused: number; lost: number };

function unreliable(db: D1Database, outage: Outage): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          if (outage.mode === "refuse") {
            outage.refused++;
            throw new Error("D1_ERROR: simulated outage");
          }
          const results = await target.batch(statements);
          if (outage.mode === "lose_answer") {
            outage.lost++;
            throw new Error("D1_ERROR: simulated lost answer");
          }
          return results;
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Puts the tenant's live coordinator on a D1 binding the test controls; an eviction undoes it. */
async function wrapCoordinatorD1(t: TestTenant, mode: D1Mode): Promise<Outage> {
  const outage: Outage = { mode, refused: 0, lost: 0 };
  await runInDurableObject(coordinator(t), (instance) => {
    const object = instance as unknown as { env: Env };
    object.env = new Proxy(object.env, {
      get: (target, prop) => (prop === "DB" ? unreliable(target.DB, outage) : Reflect.get(target, prop)),
    });
  });
  return outage;
}

const outboxSize = (t: TestTenant) =>
  runInDurableObject(
    coordinator(t),
    (_instance, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox").one().n,
  );

type Offer = { call_id: string; agent_id: string; offered_at: number };

/** A front desk that keeps commands coming: it queues calls, and the agents reject a call's
 * first offer now and then, accept the rest, start and complete them; customers cancel some
 * calls while they wait. Every offer the coordinator makes is noted from its own view. */
class Desk {
  readonly calls: Array<{ id: string; verificationId: string; index: number; customer: TestUser }> = [];
  readonly offers = new Map<string, Offer>();
  private readonly rejected = new Set<string>();
  private readonly t: TestTenant;
  private readonly total: number;
  commands = 0;

  constructor(t: TestTenant, total: number) {
    this.t = t;
    this.total = total;
  }

  async views(): Promise<Json[]> {
    const views = await Promise.all(this.calls.map((c) => coordinator(this.t).getCall(c.id)));
    for (const v of views) {
      if (v?.status === "pending" && v.offered_to && v.offer_expires_at) {
        const offered_at = Date.parse(v.offer_expires_at) - 30_000;
        this.offers.set(`${v.id}|${v.offered_to}|${offered_at}`, { call_id: v.id, agent_id: v.offered_to, offered_at });
      }
    }
    return views as Json[];
  }

  private agent(id: string) {
    return this.t.agents.find((a) => a.id === id)!;
  }

  private async command(path: string, token: string, json?: unknown) {
    this.commands++;
    const res = await callJson(path, json === undefined ? { token, method: "POST" } : { token, json });
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
  }

  private async queueNext() {
    const index = this.calls.length;
    const customer = this.t.customers[index % this.t.customers.length]!;
    const call = await queuedCall(this.t, customer);
    this.commands++;
    this.calls.push({ id: call.call_id, verificationId: call.verification_id, index, customer });
  }

  /** One command; false when every call is queued and finished. */
  async step(): Promise<boolean> {
    const views = await this.views();
    const live = this.calls.filter((_, i) => !["completed", "cancelled", "abandoned"].includes(views[i]!.status));
    if (this.calls.length < this.total && (live.length < 3 || this.commands % 3 === 0)) {
      await this.queueNext();
      return true;
    }
    for (const call of live) {
      const v = views[call.index]!;
      if (v.status === "pending" && call.index % 5 === 4) {
        await this.command(`/video-calls/${call.id}/cancel`, call.customer.token);
        return true;
      }
      if (v.status === "pending" && v.offered_to) {
        const agent = this.agent(v.offered_to);
        const reject = call.index % 3 === 1 && !this.rejected.has(call.id);
        if (reject) this.rejected.add(call.id);
        await this.command(`/video-calls/${call.id}/${reject ? "reject" : "accept"}`, agent.token);
        return true;
      }
      if (v.status === "assigned") {
        await this.command(`/video-calls/${call.id}/start`, this.agent(v.assigned_agent_id).token);
        return true;
      }
      if (v.status === "in_progress") {
        await this.command(`/video-calls/${call.id}/complete`, this.agent(v.assigned_agent_id).token, {
          call_notes: `Outbox test call ${call.index}.`,
          verification_result: call.index % 2 === 0 ? "approved" : "rejected",
          reason_code: "OUTBOX_TEST",
          duration_seconds: 30,
        });
        return true;
      }
    }
    if (live.length > 0) throw new Error(`no command applies to the live calls: ${live.map((c) => views[c.index]!.status).join(", ")}`);
    return false;
  }

  async runUntil(done: () => boolean) {
    while (!done() && (await this.step()));
  }
}

/** D1 against the coordinator's own view: each call's last state, each offer once (and resolved
 * in order: a resolve before its insert would leave it open), each decision's audit record once. */
async function expectD1MatchesCoordinator(t: TestTenant, desk: Desk) {
  expect(await outboxSize(t)).toBe(0);
  const views = await desk.views();
  const ids = desk.calls.map((c) => c.id);
  const rows = (
    await env.DB.prepare(
      `SELECT id, status, agent_id, decision, end_reason, first_offered_at FROM video_calls WHERE tenant_id = ? ORDER BY created_at`,
    )
      .bind(t.id)
      .all<Json>()
  ).results;
  expect(rows.map((r) => r.id)).toEqual(ids);
  const offers = [...desk.offers.values()];
  for (const [i, row] of rows.entries()) {
    const v = views[i]!;
    expect(row, row.id).toMatchObject({
      status: v.status,
      agent_id: v.assigned_agent_id ?? null,
      decision: v.decision ?? null,
      end_reason: v.end_reason ?? null,
    });
    // COALESCE keeps the first offer's time: applied out of order, a later offer would win.
    const first = offers.filter((o) => o.call_id === row.id).map((o) => o.offered_at);
    expect(row.first_offered_at, row.id).toBe(first.length ? Math.min(...first) : null);
  }
  const offerRows = (
    await env.DB.prepare("SELECT call_id, agent_id, offered_at, outcome FROM call_offers WHERE tenant_id = ? ORDER BY offered_at, call_id")
      .bind(t.id)
      .all<Json>()
  ).results;
  const key = (o: Json) => `${o.call_id}|${o.agent_id}|${o.offered_at}`;
  expect(offerRows.map(key).sort()).toEqual(offers.map(key).sort());
  expect(offerRows.filter((o) => o.outcome === null)).toEqual([]);
  const records = (
    await env.DB.prepare(
      "SELECT subject_id, COUNT(*) AS n FROM audit_records WHERE tenant_id = ? AND kind = 'video_call_completed' GROUP BY subject_id",
    )
      .bind(t.id)
      .all<{ subject_id: string; n: number }>()
  ).results;
  const completed = desk.calls.filter((_, i) => views[i]!.status === "completed").map((c) => c.id);
  expect(records.map((r) => r.subject_id).sort()).toEqual([...completed].sort());
  expect(records.every((r) => r.n === 1)).toBe(true);
  for (const call of desk.calls) {
    const v = views[call.index]!;
    const verification = await callJson(`/verifications/${call.verificationId}`, { token: call.customer.token });
    expect(verification.body.status, call.verificationId).toBe(v.status === "completed" ? v.decision : "pending_video_call");
  }
}

// Each refused flush logs a warning with its attempt count; the tests read them instead of
// printing hundreds.
let warnings: MockInstance<typeof console.warn>;
beforeEach(() => {
  warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => {
  warnings.mockRestore();
});

/** The outbox's retry events (structured log lines), oldest first. */
const flushWarnings = () =>
  warnings.mock.calls
    .map(([line]) => {
      try {
        return JSON.parse(String(line)) as { event?: string; attempt?: number };
      } catch {
        return {};
      }
    })
    .filter((l) => l.event === "outbox_write_retry");

async function readyTenant() {
  const t = await newTenant({ agents: 2, customers: 4 });
  for (const agent of t.agents) await makeReady(agent);
  return t;
}

describe("the coordinator's outbox while D1 fails (simulated with a wrapped D1 binding)", () => {
  it("drains a backlog of several batches in order once D1 is back, while commands keep coming, with no row twice", async () => {
    const t = await readyTenant();
    const desk = new Desk(t, 18);
    const outage = await wrapCoordinatorD1(t, "refuse");
    await desk.runUntil(() => desk.calls.length >= 12 && desk.commands >= 45);
    const duringOutage = desk.commands;
    const backlog = await outboxSize(t);
    // More than one flush's batch (100 operations) waits, and D1 has none of it.
    expect(backlog).toBeGreaterThan(100);
    expect(outage.refused).toBeGreaterThan(10);
    // A stuck outbox stands out in the logs: the oldest row's attempts keep counting.
    expect(flushWarnings().at(-1)?.attempt).toBeGreaterThanOrEqual(10);
    const inD1 = await env.DB.prepare("SELECT COUNT(*) AS n FROM video_calls WHERE tenant_id = ?").bind(t.id).first<{ n: number }>();
    expect(inD1!.n).toBe(0);

    outage.mode = "healthy";
    await desk.runUntil(() => false);
    expect(desk.commands).toBeGreaterThan(duringOutage);
    await coordinator(t).flushOutbox();
    await expectD1MatchesCoordinator(t, desk);
  }, 60_000);

  it("writes no row twice when D1 committed flushes whose answers were lost, and replays them", async () => {
    const t = await readyTenant();
    const desk = new Desk(t, 12);
    const outage = await wrapCoordinatorD1(t, "lose_answer");
    await desk.runUntil(() => desk.commands >= 30);
    expect(outage.lost).toBeGreaterThan(5);
    expect(await outboxSize(t)).toBeGreaterThan(0);
    outage.mode = "healthy";
    await desk.runUntil(() => false);
    await coordinator(t).flushOutbox();
    await expectD1MatchesCoordinator(t, desk);
  }, 60_000);

  it("answers a manager's override with 409 while the decision waits in the outbox, and takes it once D1 has it", async () => {
    const t = await readyTenant();
    const desk = new Desk(t, 1);
    const outage = await wrapCoordinatorD1(t, "refuse");
    await desk.runUntil(() => false);
    const [call] = desk.calls;
    const override = { verification_result: "rejected", reason: "The passport's MRZ check digit fails.", reason_code: "DOC_TAMPERED" };
    const early = await callJson(`/video-calls/${call!.id}/override`, { token: t.manager.token, json: override });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("call_not_decided");
    outage.mode = "healthy";
    const late = await callJson(`/video-calls/${call!.id}/override`, { token: t.manager.token, json: override });
    expect(late.status).toBe(200);
    expect(late.body.previous_decision).toBe("approved");
  });
});

describe("the outbox's retries (D1 failure simulated with a wrapped D1 binding)", () => {
  it("retries a refused flush on the coordinator's alarm", async () => {
    const t = await readyTenant();
    const outage = await wrapCoordinatorD1(t, "refuse");
    const before = Date.now();
    const call = await queuedCall(t, t.customers[0]!);
    expect(await outboxSize(t)).toBeGreaterThan(0);
    const alarm = await runInDurableObject(coordinator(t), (_instance, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThanOrEqual(before);
    expect(alarm).toBeLessThanOrEqual(Date.now() + OUTBOX_RETRY_MS);
    outage.mode = "healthy";
    expect(await runDurableObjectAlarm(coordinator(t))).toBe(true);
    expect(await outboxSize(t)).toBe(0);
    const row = await env.DB.prepare("SELECT status FROM video_calls WHERE id = ?").bind(call.call_id).first();
    expect(row).toEqual({ status: "pending" });
  });

  it("keeps the outbox through an eviction and drains it on the restarted object's alarm", async () => {
    const t = await readyTenant();
    const desk = new Desk(t, 3);
    await wrapCoordinatorD1(t, "refuse");
    await desk.runUntil(() => false);
    const backlog = await outboxSize(t);
    expect(backlog).toBeGreaterThan(0);
    // The restarted object has the real binding again: D1 is back.
    await evictDurableObject(coordinator(t));
    expect(await outboxSize(t)).toBe(backlog);
    expect(await runDurableObjectAlarm(coordinator(t))).toBe(true);
    await expectD1MatchesCoordinator(t, desk);
  });
});
