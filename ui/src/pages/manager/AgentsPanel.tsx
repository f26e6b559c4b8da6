// Every agent's status, load, readiness, heartbeat and skills, as the coordinator sees them.
import type { AgentView } from "../../../../worker/schemas/messages.ts";
import { useNow } from "../../lib/clock.ts";
import { ago, clockDuration, skillSummary } from "../../lib/format.ts";
import { useStaffText } from "../../lib/staff-i18n.ts";

/** The agent's skills, best first; a dash for none. */
const skillList = (skills: AgentView["skills"]) => skillSummary(skills) || <span class="muted">–</span>;

export function AgentsPanel({ agents }: { agents: AgentView[] | null }) {
  const now = useNow();
  const s = useStaffText();
  return (
    <section class="panel" aria-labelledby="agents-title">
      <h2 id="agents-title">{s.agents}</h2>
      {!agents ? (
        <p class="muted">{s.loading}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">{s.agentsCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{s.colAgent}</th>
                <th scope="col">{s.colStatus}</th>
                <th scope="col">{s.colCalls}</th>
                <th scope="col">{s.colReadiness}</th>
                <th scope="col">{s.colHeartbeat}</th>
                <th scope="col">{s.colDevice}</th>
                <th scope="col">{s.colAvgCall}</th>
                <th scope="col">{s.colToday}</th>
                <th scope="col">{s.colSkills}</th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <tr key={a.agent_id} data-agent-id={a.agent_id}>
                  <td>{a.name}</td>
                  <td>
                    <span class={`status ${a.status}`}>{a.status}</span>
                    {a.missed_offers_in_row > 1 && (
                      <span class="warn-text" title={s.missedInRowTitle}>
                        {" "}
                        · {s.missedInRow(a.missed_offers_in_row)}
                      </span>
                    )}
                  </td>
                  <td class="num">
                    {a.current_calls} / {a.max_calls}
                  </td>
                  <td class="num">
                    <meter
                      min={0}
                      max={100}
                      low={40}
                      high={75}
                      optimum={100}
                      value={a.readiness_score}
                      aria-label={s.readinessOf(a.name)}
                    />{" "}
                    {Math.round(a.readiness_score)}
                  </td>
                  <td>{ago(a.last_heartbeat, now)}</td>
                  <td>{a.device_connected ? "✓" : <span class="muted">–</span>}</td>
                  <td class="num">{a.average_call_duration == null ? "–" : clockDuration(a.average_call_duration)}</td>
                  <td class="num">{a.total_calls_today}</td>
                  <td data-testid="agent-skills">{skillList(a.skills)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
