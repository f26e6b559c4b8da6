// Sustained rate: full call cycles a second for one tenant (one coordinator), stepped up by
// --ramp-factor until a step misses p99 ≤ --ramp-p99 ms or loses a call. Agents complete at once
// (no holding time), so the agents are never the bottleneck. The curve goes into the results;
// the row's rate is the highest step that passed. The peer: BullMQ with the same worker count.
import type { Result } from "../lib/report.ts";
import { runBullDispatch, runDispatch } from "./dispatch.ts";
import { peerRun, type Context, type Scenario } from "./context.ts";

type Step = { rate: number; result: Result };

async function rampUp(ctx: Context, step: (rate: number) => Promise<Result>): Promise<Step[]> {
  const { start, factor, max, p99Ms } = ctx.options.ramp;
  const steps: Step[] = [];
  for (let rate = start; rate <= max; rate = Math.max(rate + 1, Math.round(rate * factor))) {
    ctx.progress(`    ${rate}/s`);
    const result = await step(rate);
    steps.push({ rate, result });
    const pass = (result.latency?.p99 ?? Infinity) <= p99Ms && result.lost === 0 && result.failed === 0;
    if (!pass) break;
  }
  return steps;
}

function summary(ctx: Context, name: string, steps: Step[], peerOf?: string): Result {
  const { p99Ms } = ctx.options.ramp;
  const curve = steps.map(({ rate, result }) => ({
    rate,
    achieved: result.throughput ?? 0,
    p50: result.latency?.p50 ?? null,
    p99: result.latency?.p99 ?? null,
    lost: result.lost ?? 0,
    failed: result.failed,
    pass: (result.latency?.p99 ?? Infinity) <= p99Ms && result.lost === 0 && result.failed === 0,
  }));
  // The highest passing step (steps stop at the first failure, so it is the one before it).
  const bestIndex = curve.map((p) => p.pass).lastIndexOf(true);
  const best = bestIndex >= 0 ? steps[bestIndex] : undefined;
  const shown = best ?? steps[0]!;
  return {
    ...shown.result,
    scenario: "ramp",
    name,
    curve,
    figures: {
      ...shown.result.figures,
      sustainedRate: best ? best.rate : 0,
      firstFailingRate: curve.find((p) => !p.pass)?.rate ?? null,
    },
    ...(peerOf ? { peerOf } : {}),
  };
}

export const ramp: Scenario = {
  name: "ramp",
  async run(ctx) {
    const { agents, seconds } = ctx.options.ramp;
    const name = `ramp, ${agents} agents`;
    const ours = await rampUp(ctx, (rate) =>
      runDispatch(ctx, { scenario: "ramp", name: `${name} @${rate}/s`, agents, rate, seconds, callMs: 0 }),
    );
    const results = [summary(ctx, name, ours)];
    if (ctx.withPeers)
      results.push(
        ...(await peerRun(ctx, "BullMQ peer", async () => {
          const theirs = await rampUp(ctx, (rate) =>
            runBullDispatch(ctx, {
              scenario: "ramp",
              name: `${name} (BullMQ) @${rate}/s`,
              peerOf: name,
              workers: agents,
              rate,
              seconds,
              holdMs: 0,
            }),
          );
          return summary(ctx, `${name} (BullMQ)`, theirs, name);
        })),
      );
    return results;
  },
};
