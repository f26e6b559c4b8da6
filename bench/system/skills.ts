// Skills for the dispatch bench's `--skills` runs (issue 17): every bench agent gets random
// languages at random levels, every call requires one language at a random level. Agent i
// always speaks language i (mod the languages in play) at the top level, so each requirement
// has someone who meets it and no call waits for an agent who is not there. Seeded, so two
// runs deal the same skills.
import { inParallel, request } from "../lib/api.ts";
import { seeded } from "../soak/random.ts";
import type { Account } from "./accounts.ts";

const LANGUAGES = ["lang:en", "lang:de", "lang:fr", "lang:es"];

/** The languages in play for `agents` agents: as many as can each be covered. */
const inPlay = (agents: number) => LANGUAGES.slice(0, Math.max(1, Math.min(LANGUAGES.length, agents)));

/** Gives each agent its random skills (or, with `none`, takes every skill away) as the manager. */
export async function dealSkills(baseUrl: string, managerToken: string, agents: Account[], { none = false } = {}): Promise<void> {
  const random = seeded(17);
  const languages = inPlay(agents.length);
  // Dealt before any request goes, so the answers' order cannot change who gets what.
  const dealt = agents.map((_, i) => {
    const skills = new Map<string, number>([[languages[i % languages.length]!, 5]]);
    for (const name of languages) if (!skills.has(name) && random.chance(0.4)) skills.set(name, random.between(1, 5));
    return none ? [] : [...skills].map(([name, level]) => ({ name, level }));
  });
  await inParallel(agents, 8, async (agent, i) => {
    const res = await request(baseUrl, `/agents/${agent.id}/skills`, { token: managerToken, method: "PUT", json: { skills: dealt[i] } });
    if (res.status !== 200) throw new Error(`skills for ${agent.email}: ${res.status} ${JSON.stringify(res.body)}`);
  });
}

/** `n` calls' requirements: one language in play each, at level 1 to 5. */
export function randomRequirements(agents: number, n: number): Array<Array<{ skill: string; level: number }>> {
  const random = seeded(42);
  const languages = inPlay(agents);
  return Array.from({ length: n }, () => [{ skill: languages[random.between(0, languages.length - 1)]!, level: random.between(1, 5) }]);
}
