// The pending calls with the manager's actions: assign to an agent (or let the scorer pick)
// and cancel.
import { useState } from "preact/hooks";
import type { AgentView, CallView } from "../../../../worker/schemas/messages.ts";
import { ErrorNote } from "../../components/ErrorNote.tsx";
import { QueueTable } from "../../components/QueueTable.tsx";
import { api } from "../../lib/api.ts";

type Props = { pending: CallView[]; agents: AgentView[] | null; serverOffsetMs: number; synced: boolean };

function CallActions({ call, agents, onError }: { call: CallView; agents: AgentView[]; onError: (err: unknown) => void }) {
  const [agentId, setAgentId] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

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
        Cancel this call?{" "}
        <button class="danger small" disabled={busy} onClick={() => void run("cancel")}>
          Yes, cancel
        </button>
        <button class="secondary small" onClick={() => setConfirming(false)}>
          Keep
        </button>
      </span>
    );
  }
  return (
    <span class="inline-actions">
      <select aria-label={`Assign ${call.user_name} to`} value={agentId} onChange={(e) => setAgentId(e.currentTarget.value)}>
        <option value="">Best available</option>
        {agents.map((a) => (
          <option key={a.agent_id} value={a.agent_id}>
            {a.name} ({a.status}, {a.current_calls}/{a.max_calls})
          </option>
        ))}
      </select>
      <button class="secondary small" disabled={busy} onClick={() => void run("assign", agentId ? { agent_id: agentId } : {})}>
        Assign
      </button>
      <button class="link danger-text" disabled={busy} onClick={() => setConfirming(true)}>
        Cancel
      </button>
    </span>
  );
}

export function PendingCallsPanel({ pending, agents, serverOffsetMs, synced }: Props) {
  const [error, setError] = useState<unknown>(null);
  const names = Object.fromEntries((agents ?? []).map((a) => [a.agent_id, a.name]));
  return (
    <section class="panel" aria-labelledby="pending-title">
      <div class="panel-head">
        <h2 id="pending-title">Waiting customers</h2>
        {!synced && <span class="muted">Syncing…</span>}
      </div>
      <ErrorNote error={error} />
      <QueueTable
        calls={pending}
        serverOffsetMs={serverOffsetMs}
        agentNames={names}
        caption="Waiting customers, most urgent first"
        actions={(call) => <CallActions call={call} agents={agents ?? []} onError={setError} />}
      />
    </section>
  );
}
