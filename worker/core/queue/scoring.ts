// Choosing the agent for a call. The default strategy is seed 001 §4.2's assignment score;
// tenants may pick "longest-idle" or "fewest-calls" instead. Ties are broken by longest
// idle, then by id, so the choice is deterministic.
import { HIGH, type PriorityLevel } from "../priority.ts";
import { skillFit } from "./routing.ts";
import type { Agent, AssignmentStrategy, Requirement } from "./types.ts";

const DEFAULT_DURATION_SECONDS = 600; // seed: an agent with no history counts as 10 minutes a call

export function averageCallSeconds(agent: Agent): number | null {
  return agent.completedCalls > 0 ? agent.totalCallSeconds / agent.completedCalls : null;
}

/** Seed 001 §4.2: load 0.5, efficiency 0.3, experience 0.2, ×1.2 for high and urgent calls;
 * plus up to 0.2 for skill levels above what the call needs (none for calls without requirements,
 * so their scores stay the seed's). */
export function assignmentScore(agent: Agent, used: number, priority: PriorityLevel, requirements: readonly Requirement[] = []): number {
  const load = 1 - used / agent.maxCalls;
  const efficiency = 1 - Math.min((averageCallSeconds(agent) ?? DEFAULT_DURATION_SECONDS) / 1200, 1);
  const experience = Math.min(agent.callsToday / 20, 1);
  const score = load * 0.5 + efficiency * 0.3 + experience * 0.2 + skillFit(agent, requirements) * 0.2;
  return priority >= HIGH ? score * 1.2 : score;
}

function byIdleThenId(a: Agent, b: Agent): number {
  return a.idleSince - b.idleSince || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The best of `candidates` for a call of `priority`, or null when there are none. */
export function pickAgent(
  candidates: Agent[],
  usage: ReadonlyMap<string, number>,
  priority: PriorityLevel,
  strategy: AssignmentStrategy,
  requirements: readonly Requirement[] = [],
): Agent | null {
  if (candidates.length === 0) return null;
  const ranked = [...candidates];
  if (strategy === "longest-idle") ranked.sort(byIdleThenId);
  else if (strategy === "fewest-calls") ranked.sort((a, b) => a.callsToday - b.callsToday || byIdleThenId(a, b));
  else {
    const score = new Map(ranked.map((a) => [a.id, assignmentScore(a, usage.get(a.id) ?? a.activeCallIds.length, priority, requirements)]));
    ranked.sort((a, b) => score.get(b.id)! - score.get(a.id)! || byIdleThenId(a, b));
  }
  return ranked[0]!;
}
