// Every agent's status, load, readiness, heartbeat and skills, as the coordinator sees them.
import type { AgentView } from "../../../../worker/schemas/messages.ts";
import { useNow } from "../../lib/clock.ts";
import { ago, clockDuration, skillSummary } from "../../lib/format.ts";

/** The agent's skills, best first; a dash for none. */
const skillList = (skills: AgentView["skills"]) => skillSummary(skills) || <span class="muted">–</span>;

export function AgentsPanel({ agents }: { agents: AgentView[] | null }) {
  const now = useNow();
  return (
    <section class="panel" aria-labelledby="agents-title">
      <h2 id="agents-title">Agents</h2>
      {!agents ? (
        <p class="muted">Loading…</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">Agents and their availability</caption>
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Status</th>
                <th scope="col">Calls</th>
                <th scope="col">Readiness</th>
                <th scope="col">Heartbeat</th>
                <th scope="col">Device</th>
                <th scope="col">Avg call</th>
                <th scope="col">Today</th>
                <th scope="col">Skills</th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <tr key={a.agent_id} data-agent-id={a.agent_id}>
                  <td>{a.name}</td>
                  <td>
                    <span class={`status ${a.status}`}>{a.status}</span>
                    {a.missed_offers_in_row > 1 && (
                      <span class="warn-text" title="Offers missed in a row">
                        {" "}
                        · {a.missed_offers_in_row} missed
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
                      aria-label={`Readiness of ${a.name}`}
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
