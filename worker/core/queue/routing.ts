// Routing by what a call needs (issue 17): which queue a call goes to, which agents meet its
// requirements at its relaxation step, when the next step falls due, and whether any online
// agent could ever take it. Pure; eligibility.ts, deadlines.ts and the views build on it.
import type { Agent, Call, QueueConfig, QueueState, RelaxStep, Requirement, RoutingQueue, WorkingHours } from "./types.ts";

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Skill levels run 1..5; the score's skill fit is measured against the top one. */
export const MAX_SKILL_LEVEL = 5;

/** What a verification says its agent needs: the customer's language (`lang:de` from `de-AT`),
 * each document type uploaded (`doc:residence_permit`) and each issuing country stated on an
 * upload (`country:de` from `DE`; skill names are lower case), at level 1. */
export function verificationNeeds(input: {
  language?: string | undefined;
  docTypes: readonly string[];
  countries?: readonly (string | null)[];
}): Requirement[] {
  const needs: Requirement[] = [];
  const language = input.language?.split("-")[0]?.toLowerCase();
  if (language) needs.push({ skill: `lang:${language}`, level: 1 });
  for (const type of new Set(input.docTypes)) needs.push({ skill: `doc:${type}`, level: 1 });
  const countries = new Set((input.countries ?? []).flatMap((c) => (c ? [c.toLowerCase()] : [])));
  for (const country of countries) needs.push({ skill: `country:${country}`, level: 1 });
  return needs;
}

/** The skill a derived requirement is about counts when the tenant routes on it: a language
 * when anyone has a `lang:` skill or a queue filters on one (so a customer whose language no
 * agent speaks is seen to wait for one), anything else when that very skill is in use. */
function routedOn(skill: string, state: Pick<QueueState, "agents">, config: Pick<QueueConfig, "queues">): boolean {
  const family = skill.startsWith("lang:") ? "lang:" : null;
  const matches = (name: string) => (family ? name.startsWith(family) : name === skill);
  if ((config.queues ?? []).some((q) => q.requires.some(matches))) return true;
  for (const agent of state.agents.values()) if (Object.keys(agent.skills).some(matches)) return true;
  return false;
}

/** A call's requirements: every one its client app stated, and of those derived from the
 * verification (language, document types, issuing countries) the ones the tenant routes on; one per skill, at the
 * highest level asked. Without skills or queues, calls need nothing, as before routing. */
export function requirementsFor(
  stated: readonly Requirement[],
  derived: readonly Requirement[],
  state: Pick<QueueState, "agents">,
  config: Pick<QueueConfig, "queues">,
): Requirement[] {
  const levels = new Map<string, number>();
  const add = (r: Requirement) => levels.set(r.skill, Math.max(levels.get(r.skill) ?? 0, r.level));
  stated.forEach(add);
  for (const r of derived) if (routedOn(r.skill, state, config)) add(r);
  return [...levels].map(([skill, level]) => ({ skill, level }));
}

/** Whether `agent` meets every requirement at `step`: as stated, at any level, or always. */
export function meetsRequirements(agent: Agent, requirements: readonly Requirement[], step: RelaxStep): boolean {
  if (step === 2) return true;
  return requirements.every((r) => (agent.skills[r.skill] ?? 0) >= (step === 0 ? r.level : 1));
}

/** Whether a queue with these working hours takes calls at `now` (no hours: always). */
export function isOpen(hours: WorkingHours | null, now: number): boolean {
  if (!hours) return true;
  const day = new Date(now).getUTCDay();
  const minute = Math.floor((now % DAY_MS) / MINUTE_MS);
  return hours.days.includes(day) && minute >= hours.fromMinute && minute < hours.toMinute;
}

/** The tenant's queues in the order calls try them. */
export function queuesInOrder(config: Pick<QueueConfig, "queues">): RoutingQueue[] {
  return [...(config.queues ?? [])].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The first queue whose filter the requirements satisfy and that is open at `now` (null: any
 * hours); null when none matches, which is the default queue. */
export function matchQueue(
  requirements: readonly Requirement[],
  config: Pick<QueueConfig, "queues">,
  now: number | null,
): RoutingQueue | null {
  const names = new Set(requirements.map((r) => r.skill));
  return (
    queuesInOrder(config).find((q) => q.requires.every((skill) => names.has(skill)) && (now === null || isOpen(q.workingHours, now))) ??
    null
  );
}

/** The queue a call is in: its own while it exists; one deleted sends it on to the first queue
 * it matches now (whatever the hours: it is already waiting), so an edit never loses a call. */
export function queueOf(call: Pick<Call, "queueId" | "requirements">, config: Pick<QueueConfig, "queues">): RoutingQueue | null {
  if (call.queueId === null) return null;
  return config.queues?.find((q) => q.id === call.queueId) ?? matchQueue(call.requirements, config, null);
}

/** The most a call's requirements may be relaxed in its queue. */
function lastStep(call: Pick<Call, "requirements">, queue: RoutingQueue | null): RelaxStep {
  if (!queue || queue.relaxAfterSeconds === null || call.requirements.length === 0) return 0;
  return queue.relaxToAnyAgent ? 2 : 1;
}

/** When the call reaches the step after its current one, or null if it never will. Step n falls
 * due after n × relax_after_seconds of waiting. */
export function nextRelaxAt(call: Call, config: Pick<QueueConfig, "queues">): number | null {
  if (call.status !== "pending") return null;
  const queue = queueOf(call, config);
  if (call.relaxStep >= lastStep(call, queue)) return null;
  return call.enqueuedAt + (call.relaxStep + 1) * queue!.relaxAfterSeconds! * 1000;
}

/** Whether no online agent meets the call's requirements at its step, whatever their load:
 * it waits for someone who is not there (managers see it), not for a free slot. */
export function unmatched(call: Call, agents: Iterable<Agent>): boolean {
  if (call.requirements.length === 0) return false;
  for (const agent of agents) {
    if (agent.status === "online" && meetsRequirements(agent, call.requirements, call.relaxStep)) return false;
  }
  return true;
}

/** How well `agent` exceeds what the call needs, 0..1: the mean of their levels over the top
 * level, for the calls that state requirements (0 for those that do not). */
export function skillFit(agent: Agent, requirements: readonly Requirement[]): number {
  if (requirements.length === 0) return 0;
  const sum = requirements.reduce((n, r) => n + Math.min((agent.skills[r.skill] ?? 0) / MAX_SKILL_LEVEL, 1), 0);
  return sum / requirements.length;
}
