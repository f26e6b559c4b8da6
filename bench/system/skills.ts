// Skills for the dispatch bench's `--skills` runs (issue 17): every bench agent gets random
// languages at random levels, every call requires one language at a random level. Agent i
// always speaks language i (mod the languages in play) at the top level, so each requirement
// has someone who meets it and no call waits for an agent who is not there. Seeded, so two
// runs deal the same skills.
import { inParallel, request } from "../lib/api.ts";
import type { Account } from "./accounts.ts";

const LANGUAGES = ["lang:en", "lang:de", "lang:fr", "lang:es"];

/** A small seeded generator (mulberry32): the same sequence for the same seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The languages in play for `agents` agents: as many as can each be covered. */
const inPlay = (agents: number) => LANGUAGES.slice(0, Math.max(1, Math.min(LANGUAGES.length, agents)));

/** Gives each agent its random skills (or, with `none`, takes every skill away) as the manager. */
export async function dealSkills(baseUrl: string, managerToken: string, agents: Account[], { none = false } = {}): Promise<void> {
  const next = random(17);
  const languages = inPlay(agents.length);
  await inParallel(agents, 8, async (agent, i) => {
    const skills = new Map<string, number>([[languages[i % languages.length]!, 5]]);
    for (const name of languages) if (!skills.has(name) && next() < 0.4) skills.set(name, 1 + Math.floor(next() * 5));
    const body = { skills: none ? [] : [...skills].map(([name, level]) => ({ name, level })) };
    const res = await request(baseUrl, `/agents/${agent.id}/skills`, { token: managerToken, method: "PUT", json: body });
    if (res.status !== 200) throw new Error(`skills for ${agent.email}: ${res.status} ${JSON.stringify(res.body)}`);
  });
}

/** `n` calls' requirements: one language in play each, at level 1 to 5. */
export function randomRequirements(agents: number, n: number): Array<Array<{ skill: string; level: number }>> {
  const next = random(42);
  const languages = inPlay(agents);
  return Array.from({ length: n }, () => [{ skill: languages[Math.floor(next() * languages.length)]!, level: 1 + Math.floor(next() * 5) }]);
}
