// The agent's own skills (issue 17), so they know which customers the queue routes to them: from
// the desk's socket (the agent's row carries `skills` once they have any), or, before the
// coordinator knows the agent, from `GET /agents/{id}/skills`.
import { useEffect, useState } from "preact/hooks";
import type { AgentView } from "../../../../worker/schemas/messages.ts";
import type { AgentSkills as AgentSkillsReply } from "../../../../worker/schemas/routing.ts";
import { api } from "../../lib/api.ts";
import { skillSummary } from "../../lib/format.ts";
import { useStaffText } from "../../lib/staff-i18n.ts";

export function AgentSkills({ agentId, agent }: { agentId: string; agent: AgentView | null }) {
  const s = useStaffText();
  const [fetched, setFetched] = useState<AgentView["skills"] | null>(null);
  useEffect(() => {
    if (agent || fetched) return;
    api<AgentSkillsReply>(`/agents/${agentId}/skills`)
      .then((reply) => setFetched(Object.fromEntries(reply.skills.map((s) => [s.name, s.level]))))
      .catch(() => setFetched({}));
  }, [agent, agentId]);
  // The socket's row is live (a manager's change arrives with it); without `skills` it has none.
  const skills = agent ? (agent.skills ?? {}) : fetched;
  return (
    <section class="panel" aria-labelledby="skills-title">
      <h2 id="skills-title">{s.yourSkills}</h2>
      <p data-testid="own-skills" class={skills && skillSummary(skills) ? "" : "muted"}>
        {skills === null ? s.loading : skillSummary(skills) || s.noSkillsYet}
      </p>
    </section>
  );
}
