// Operations: service levels, the live queue, agents, heartbeats and the assignment strategy.
// Each panel is its own component; the queue panels share one staff socket, the service
// levels have the dashboard socket.
import { useEffect, useRef, useState } from "preact/hooks";
import type { z } from "zod";
import type { AgentView } from "../../../../worker/schemas/messages.ts";
import type { AvailabilityResponse } from "../../../../worker/schemas/video-calls.ts";
import { CallHistory } from "../../components/CallHistory.tsx";
import { ConnectionPill } from "../../components/ConnectionPill.tsx";
import { api, describeError } from "../../lib/api.ts";
import { useStaffQueue } from "../../lib/use-staff-queue.ts";
import { AgentsPanel } from "./AgentsPanel.tsx";
import { DataLifecyclePanel } from "./DataLifecyclePanel.tsx";
import { HeartbeatPanel } from "./HeartbeatPanel.tsx";
import { IntegrationsPanel } from "./IntegrationsPanel.tsx";
import { PendingCallsPanel } from "./PendingCallsPanel.tsx";
import { QueuesPanel } from "./QueuesPanel.tsx";
import { QueueSummaryPanel } from "./QueueSummaryPanel.tsx";
import { ServiceLevelPanel } from "./ServiceLevelPanel.tsx";
import { StrategyPanel } from "./StrategyPanel.tsx";
import { useStaffText } from "../../lib/staff-i18n.ts";

const AGENTS_REFRESH_MS = 30_000;

export function Manager() {
  const [agents, setAgents] = useState<AgentView[] | null>(null);
  const [agentsError, setAgentsError] = useState<string | null>(null);
  const [finished, setFinished] = useState(0);
  const reload = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const s = useStaffText();

  const loadAgents = () =>
    api<z.infer<typeof AvailabilityResponse>>("/video-calls/agents/availability").then(
      (r) => (setAgents(r.agents), setAgentsError(null)),
      (err: unknown) => setAgentsError(describeError(err)),
    );

  const { queue, socket } = useStaffQueue((message) => {
    if (message.type === "agent_status_changed") {
      // Show the change at once, then take the full picture (heartbeats live elsewhere).
      setAgents((list) => list && list.map((a) => (a.agent_id === message.agent.agent_id ? message.agent : a)));
      clearTimeout(reload.current);
      reload.current = setTimeout(() => void loadAgents(), 500);
    }
    if (message.type === "call_completed" || message.type === "call_cancelled") setFinished((n) => n + 1);
  });

  useEffect(() => {
    document.title = s.operationsTitle;
    void loadAgents();
    const timer = setInterval(() => void loadAgents(), AGENTS_REFRESH_MS);
    return () => (clearInterval(timer), clearTimeout(reload.current));
  }, []);

  const onCalls = (agents ?? []).reduce((n, a) => n + a.current_calls, 0);
  return (
    <div class="manager">
      <div class="page-head">
        <h1>{s.operations}</h1>
        <ConnectionPill state={socket} />
      </div>
      <p class="sr-only" aria-live="polite">
        {queue.announcement}
      </p>
      <QueueSummaryPanel summary={queue.summary} pending={queue.pending} serverOffsetMs={queue.serverOffsetMs} activeCalls={onCalls} />
      <ServiceLevelPanel />
      <QueuesPanel />
      <div class="manager-grid">
        <PendingCallsPanel pending={queue.pending} agents={agents} serverOffsetMs={queue.serverOffsetMs} synced={queue.synced} />
        <HeartbeatPanel />
      </div>
      {agentsError && <p class="error">{agentsError}</p>}
      <AgentsPanel agents={agents} />
      <div class="manager-grid">
        <section class="panel" aria-labelledby="recent-title">
          <h2 id="recent-title">{s.recentCalls}</h2>
          <CallHistory version={finished} limit={10} />
        </section>
        <StrategyPanel />
      </div>
      <DataLifecyclePanel />
      <IntegrationsPanel />
    </div>
  );
}
