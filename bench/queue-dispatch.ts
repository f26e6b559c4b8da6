// Bench: the pure queue engine under a deep queue. `npm run bench:queue`. Target: each
// command (enqueue, accept, complete, a deadline tick) under 20 ms with 5,000 waiting calls
// and 200 agents, so one coordinator stays far below its request budget.
import { configFrom } from "../worker/config.ts";
import {
  accept,
  complete,
  emptyQueue,
  enqueue,
  presenceChanged,
  runCommand,
  setAgentStatus,
  type QueueConfig,
  type QueueState,
} from "../worker/core/queue/index.ts";

// The production defaults (worker/config.ts) with the seed's scoring strategy.
const config: QueueConfig = { ...configFrom({}).queue, strategy: "score" };

let state: QueueState = emptyQueue();
let now = Date.UTC(2026, 10, 22);
const run = <T>(command: Parameters<typeof runCommand<T>>[3]) => {
  const t = runCommand(state, now, config, command);
  state = t.state;
  return t;
};

const AGENTS = 200;
const WAITING = 5_000;
for (let i = 0; i < AGENTS; i++) {
  const agentId = `agent-${i}`;
  run((tx) =>
    presenceChanged(tx, {
      agentId,
      name: agentId,
      presence: { lastBeatAt: now, deviceConnected: true, fresh: true, offline: false, at: now },
    }),
  );
  run((tx) => setAgentStatus(tx, { agentId, name: agentId, status: "online", maxCalls: 2 }));
}
let n = 0;
const newCall = () => {
  n++;
  return {
    id: `call-${n}`,
    tenantId: "bench",
    verificationId: `v-${n}`,
    customerId: `c-${n}`,
    userName: `C ${n}`,
    priority: (n % 4) as 0 | 1 | 2 | 3,
    fraudScore: null,
    documents: [],
  };
};
for (let i = 0; i < WAITING; i++) {
  now += 10;
  run((tx) => enqueue(tx, newCall()));
}

function measure(name: string, times: number, once: () => void) {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    once();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(times / 2)]!;
  const p95 = samples[Math.floor(times * 0.95)]!;
  process.stdout.write(`${name.padEnd(26)} ${median.toFixed(2).padStart(8)} ${p95.toFixed(2).padStart(8)}\n`);
  return median;
}

process.stdout.write(`${state.calls.size} calls live, ${AGENTS} agents\ncommand                    median ms   p95 ms\n`);
const medians = [
  measure("enqueue", 200, () => run((tx) => enqueue(tx, newCall()))),
  measure("accept an offer", 200, () => {
    const offered = [...state.calls.values()].find((c) => c.offer);
    if (offered) run((tx) => accept(tx, { callId: offered.id, agentId: offered.offer!.agentId, name: "a", sessionId: "s" }));
  }),
  measure("complete (and re-dispatch)", 200, () => {
    const active = [...state.calls.values()].find((c) => c.status === "assigned");
    if (active) run((tx) => complete(tx, { callId: active.id, actor: { userId: active.assignedAgentId!, manage: false } }));
  }),
  measure("deadline tick", 50, () => {
    now += 1000;
    run(() => ({ ok: true, value: null }));
  }),
];
const slow = medians.filter((m) => m > 20).length;
process.stdout.write(slow ? `${slow} commands over the 20 ms target\n` : "all commands within the 20 ms target\n");
process.exitCode = slow ? 1 : 0;
