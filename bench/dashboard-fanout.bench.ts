// Bench: what connected dashboards cost the queue coordinator. Two tenants, one with 0 and one
// with 200 dashboard sockets; enqueues alternate between them (so load from elsewhere on the
// machine hits both alike). Two figures per enqueue:
//   run      performance.now() around the coordinator's run() (the engine, persistence and every
//            message it sends or hands on), timed inside the object by wrapping the method;
//   rpc      performance.now() around the enqueue RPC as the caller sees it (with its D1 outbox
//            write). Under the test runner the coordinator, the hub and the test's sockets share
//            one thread, so this one also carries whatever delivery runs meanwhile.
// After each enqueue the bench waits until every dashboard heard the call_event, so delivery never
// overlaps the next measurement. Then a burst of enqueues back to back: when the last reply came,
// and when the last dashboard heard the last call.
// `npx vitest run --config bench/vitest.config.ts bench/dashboard-fanout.bench.ts`. Figures, not a
// target: the machine decides them.
import { runInDurableObject } from "cloudflare:test";
import { it } from "vitest";
import { coordinator, openSocket, type TestSocket } from "../test/worker/support/queue.ts";
import { newTenant, type TestTenant } from "../test/worker/support/tenant.ts";

const RUNS = 100;
const BURST = 20;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

function enqueueInput(t: TestTenant, n: number) {
  const customer = t.customers[0]!;
  return {
    tenantId: t.id,
    callId: crypto.randomUUID(),
    verificationId: `bench-${crypto.randomUUID()}`,
    customerId: customer.id,
    userName: `${customer.name} ${n}`,
    priority: "normal" as const,
    fraudScore: null,
    documents: [],
  };
}

async function heardBy(sockets: TestSocket[], callId: string) {
  await Promise.all(sockets.map((s) => s.next("call_event", (m) => m.call.id === callId, 60_000)));
}

type Timed = { run: (...args: unknown[]) => unknown; runTimes?: number[] };

/** Wraps the coordinator's run() so that it records how long each call took. */
async function timeRuns(t: TestTenant) {
  await runInDurableObject(coordinator(t), (instance) => {
    const timed = instance as unknown as Timed;
    const run = timed.run;
    timed.runTimes = [];
    timed.run = function (this: unknown, ...args: unknown[]) {
      const started = performance.now();
      try {
        return run.apply(this, args);
      } finally {
        timed.runTimes!.push(performance.now() - started);
      }
    };
  });
}

const runTimes = (t: TestTenant) => runInDurableObject(coordinator(t), (instance) => [...(instance as unknown as Timed).runTimes!]);

type Setting = { dashboards: number; t: TestTenant; sockets: TestSocket[]; rpc: number[] };

async function setting(dashboards: number): Promise<Setting> {
  const t = await newTenant({ agents: 0, customers: 1 });
  const sockets: TestSocket[] = [];
  for (let i = 0; i < dashboards; i++) {
    const s = await openSocket("/dashboard/ws", t.manager.token);
    await s.next("initial_state");
    sockets.push(s);
  }
  // Warm the coordinator (and D1) up before measuring.
  for (let i = 0; i < 5; i++) await coordinator(t).enqueue(enqueueInput(t, -i));
  await timeRuns(t);
  return { dashboards, t, sockets, rpc: [] };
}

/** One timed enqueue, then a wait until every dashboard heard it. */
async function timedEnqueue(s: Setting, n: number) {
  const input = enqueueInput(s.t, n);
  const started = performance.now();
  const r = await coordinator(s.t).enqueue(input);
  s.rpc.push(performance.now() - started);
  if (!r.ok) throw new Error("enqueue failed");
  await heardBy(s.sockets, input.callId);
}

async function burst(s: Setting) {
  const started = performance.now();
  const inputs = Array.from({ length: BURST }, (_, i) => enqueueInput(s.t, RUNS + i));
  for (const input of inputs) await coordinator(s.t).enqueue(input);
  const replied = performance.now() - started;
  await Promise.all(inputs.map((input) => heardBy(s.sockets, input.callId)));
  return { replied, delivered: performance.now() - started };
}

const figures = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((a, x) => a + x, 0) / sorted.length;
  return `mean ${mean.toFixed(2)} ms, median ${quantile(sorted, 0.5).toFixed(1)}, p90 ${quantile(sorted, 0.9).toFixed(1)}`;
};

it("times enqueue with 0 and 200 dashboards connected", async () => {
  const settings = [await setting(0), await setting(200)];
  for (let i = 0; i < RUNS; i++) for (const s of settings) await timedEnqueue(s, i);
  const rows: string[] = [];
  for (const s of settings) {
    const run = await runTimes(s.t);
    const b = await burst(s);
    rows.push(
      `${String(s.dashboards).padStart(4)} dashboards: run ${figures(run)} | rpc ${figures(s.rpc)} | ` +
        `burst of ${BURST}: replies after ${b.replied.toFixed(0)} ms, every dashboard heard all after ${b.delivered.toFixed(0)} ms`,
    );
    for (const socket of s.sockets) socket.close();
  }
  console.log(`\n${rows.join("\n")}`);
});
