// The pending calls with the manager's actions: assign to an agent (or let the scorer pick)
// and cancel.
import { useState } from "preact/hooks";
import type { AgentView, CallView } from "../../../../worker/schemas/messages.ts";
import { ErrorNote } from "../../components/ErrorNote.tsx";
import { QueueTable } from "../../components/QueueTable.tsx";
import { api } from "../../lib/api.ts";
import { useStaffText } from "../../lib/staff-i18n.ts";

type Props = { pending: CallView[]; agents: AgentView[] | null; serverOffsetMs: number; synced: boolean };

function CallActions({ call, agents, onError }: { call: CallView; agents: AgentView[]; onError: (err: unknown) => void }) {
  const [agentId, setAgentId] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const s = useStaffText();

  async function run(path: string, json?: object) {
    setBusy(true);
    onError(null);
    try {
      await api(`/video-calls/${call.id}/${path}`, { method: "POST", ...(json ? { json } : {}) });
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  if (confirming) {
    return (
      <span class="inline-confirm">
        {s.cancelThisCall}{" "}
        <button class="danger small" disabled={busy} onClick={() => void run("cancel")}>
          {s.yesCancel}
        </button>
        <button class="secondary small" onClick={() => setConfirming(false)}>
          {s.keep}
        </button>
      </span>
    );
  }
  return (
    <span class="inline-actions">
      <select aria-label={s.assignTo(call.user_name)} value={agentId} onChange={(e) => setAgentId(e.currentTarget.value)}>
        <option value="">{s.bestAvailable}</option>
        {agents.map((a) => (
          <option key={a.agent_id} value={a.agent_id}>
            {a.name} ({a.status}, {a.current_calls}/{a.max_calls})
          </option>
        ))}
      </select>
      <button class="secondary small" disabled={busy} onClick={() => void run("assign", agentId ? { agent_id: agentId } : {})}>
        {s.assign}
      </button>
      <button class="link danger-text" disabled={busy} onClick={() => setConfirming(true)}>
        {s.cancel}
      </button>
    </span>
  );
}

export function PendingCallsPanel({ pending, agents, serverOffsetMs, synced }: Props) {
  const [error, setError] = useState<unknown>(null);
  const s = useStaffText();
  const names = Object.fromEntries((agents ?? []).map((a) => [a.agent_id, a.name]));
  return (
    <section class="panel" aria-labelledby="pending-title">
      <div class="panel-head">
        <h2 id="pending-title">{s.waitingCustomers}</h2>
        {!synced && <span class="muted">{s.syncing}</span>}
      </div>
      <ErrorNote error={error} />
      <QueueTable
        calls={pending}
        serverOffsetMs={serverOffsetMs}
        agentNames={names}
        caption={s.waitingCustomersCaption}
        actions={(call) => <CallActions call={call} agents={agents ?? []} onError={setError} />}
      />
    </section>
  );
}
