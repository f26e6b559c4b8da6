// The desk's top bar: the agent's status and capacity, the server's readiness score, the
// devices, and whether live updates are flowing.
import { useEffect, useState } from "preact/hooks";
import { ConnectionPill } from "../../components/ConnectionPill.tsx";
import type { AgentView } from "../../../../worker/schemas/messages.ts";
import { api, describeError } from "../../lib/api.ts";
import { useNow } from "../../lib/clock.ts";
import type { SocketState } from "../../lib/socket.ts";
import type { Heartbeat } from "../../lib/use-heartbeat.ts";
import { useStaffText } from "../../lib/staff-i18n.ts";
import type { StaffMessages } from "../../i18n/staff.ts";

/** Each status with its name and hint in the staff catalogue. */
const STATUSES = [
  ["online", "statusOnline", "statusOnlineHint"],
  ["busy", "statusBusy", "statusBusyHint"],
  ["away", "statusAway", "statusAwayHint"],
  ["offline", "statusOffline", "statusOfflineHint"],
] as const satisfies ReadonlyArray<readonly [AgentView["status"], keyof StaffMessages, keyof StaffMessages]>;

type Props = {
  agent: AgentView | null;
  /** What the agent picked; differs from agent.status when the queue changed it. */
  chosenStatus: AgentView["status"] | null;
  socket: SocketState;
  heartbeat: Heartbeat;
  onAgent: (agent: AgentView) => void;
};

export function AgentStatusBar({ agent, chosenStatus, socket, heartbeat, onAgent }: Props) {
  // The choice shows at once; it reverts if the server refuses it.
  const [pending, setPending] = useState<AgentView["status"] | null>(null);
  const status = pending ?? agent?.status ?? "offline";
  const [capacity, setCapacity] = useState(agent?.max_calls ?? 1);
  const saving = pending !== null;
  const [error, setError] = useState<string | null>(null);
  const now = useNow();
  const s = useStaffText();

  useEffect(() => {
    if (agent) setCapacity(agent.max_calls);
  }, [agent?.max_calls]);

  async function save(next: AgentView["status"], maxCalls = capacity) {
    setPending(next);
    setError(null);
    try {
      onAgent(
        await api<AgentView>("/video-calls/agents/status", { method: "POST", json: { status: next, max_concurrent_calls: maxCalls } }),
      );
    } catch (err) {
      setError(describeError(err));
    } finally {
      setPending(null);
    }
  }

  // The heartbeat reply and the queue's agent view carry the same server-computed score; shown
  // as it last arrived from either (a status change moves it before the next beat does).
  const [readiness, setReadiness] = useState<number | null>(agent?.readiness_score ?? null);
  useEffect(() => {
    if (agent) setReadiness(agent.readiness_score);
  }, [agent]);
  useEffect(() => {
    if (heartbeat.reply) setReadiness(heartbeat.reply.readiness_score);
  }, [heartbeat.reply]);
  const beatAge = heartbeat.lastBeatAt ? Math.round((now - heartbeat.lastBeatAt) / 1000) : null;
  return (
    <section class="statusbar" aria-label={s.yourStatus}>
      <fieldset class="segmented" aria-busy={saving}>
        <legend class="sr-only">{s.status}</legend>
        {STATUSES.map(([value, label, hint]) => (
          <label key={value} class={`seg ${value} ${status === value ? "checked" : ""}`} title={s[hint]}>
            <input type="radio" name="agent-status" value={value} checked={status === value} onChange={() => void save(value)} />
            {s[label]}
          </label>
        ))}
      </fieldset>
      <label class="inline">
        {s.capacity}
        <input
          type="number"
          min={1}
          max={10}
          value={capacity}
          disabled={saving}
          onChange={(e) => {
            const value = Math.min(10, Math.max(1, Number(e.currentTarget.value) || 1));
            setCapacity(value);
            void save(status, value);
          }}
        />
        <span class="muted">{s.callsAtOnce}</span>
      </label>
      <div class="readiness" title={s.readinessTitle}>
        <span>{s.readiness}</span>
        <meter min={0} max={100} low={40} high={75} optimum={100} value={readiness ?? 0} aria-label={s.readinessScore} />
        <strong data-testid="readiness">{readiness ?? s.dash}</strong>
      </div>
      <span class={heartbeat.deviceConnected === false ? "error" : "muted"}>
        {heartbeat.deviceConnected === null ? s.checkingDevices : heartbeat.deviceConnected ? s.devicesReady : s.noDevices}
      </span>
      <span class={heartbeat.failing ? "error" : "muted"}>
        {heartbeat.failing ? s.heartbeatFailing : beatAge === null ? s.noHeartbeatYet : s.heartbeatAgo(beatAge)}
      </span>
      <ConnectionPill state={socket} />
      {agent && chosenStatus && agent.status !== chosenStatus && !saving && (
        <p class="warn-text" role="status">
          {agent.status === "away" && agent.missed_offers_in_row > 0
            ? s.setAwayAfterMissed(agent.missed_offers_in_row)
            : s.queueSetYou(agent.status, chosenStatus)}
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
