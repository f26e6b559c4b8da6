// The KYC agent's desk: status and readiness, offers with a countdown (A / R), the live queue
// with "take", the agent's own calls, the call workspace and recent history. Everything live
// from the staff socket; nothing needs a reload.
import { useEffect, useState } from "preact/hooks";
import type { z } from "zod";
import { AGENT_STATUSES, type AgentStatus } from "../../../../worker/core/agent-status.ts";
import type { AcceptResponse } from "../../../../worker/schemas/video-calls.ts";
import { CallHistory } from "../../components/CallHistory.tsx";
import { ErrorNote } from "../../components/ErrorNote.tsx";
import { PriorityBadge } from "../../components/PriorityBadge.tsx";
import { QueueTable } from "../../components/QueueTable.tsx";
import { api } from "../../lib/api.ts";
import type { Session } from "../../lib/session.ts";
import { useHeartbeat } from "../../lib/use-heartbeat.ts";
import { useStaffQueue } from "../../lib/use-staff-queue.ts";
import { AgentSkills } from "./AgentSkills.tsx";
import { AgentStatusBar } from "./AgentStatusBar.tsx";
import { CallWorkspace, type Completion } from "./CallWorkspace.tsx";
import { OfferBanner } from "./OfferBanner.tsx";
import { useStaffText } from "../../lib/staff-i18n.ts";
import type { StaffMessages } from "../../i18n/staff.ts";

type AcceptReply = z.infer<typeof AcceptResponse>;

const TEXT_INPUTS = new Set(["text", "search", "email", "number", "password", "tel", "url", "date", "time"]);

/** True when a key press types into a field rather than triggering the desk's shortcuts. */
function typing(target: EventTarget | null): boolean {
  if (target instanceof HTMLInputElement) return TEXT_INPUTS.has(target.type);
  return target instanceof HTMLElement && (target.isContentEditable || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
}

const isAgentStatus = (value: unknown): value is AgentStatus => (AGENT_STATUSES as readonly unknown[]).includes(value);

const DECISION_WORDS = { approved: "decidedApproved", rejected: "decidedRejected", needs_review: "decidedNeedsReview" } as const;

/** A recorded decision in the desk's words; an unknown one as its code. */
const decisionWords = (s: StaffMessages, decision: string) =>
  Object.hasOwn(DECISION_WORDS, decision) ? s[DECISION_WORDS[decision as keyof typeof DECISION_WORDS]] : decision;

export function Agent({ session }: { session: Session }) {
  const me = session.user.id;
  const { queue, socket, update } = useStaffQueue();
  // The status this agent picked (null until the desk knows it), for heartbeats to restore.
  const [chosenStatus, setChosenStatus] = useState<AgentStatus | null>(null);
  const heartbeat = useHeartbeat(chosenStatus);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [completion, setCompletion] = useState<Completion | null>(null);
  const [historyVersion, setHistoryVersion] = useState(0);
  const s = useStaffText();

  useEffect(() => {
    document.title = queue.offer ? s.deskTitleOffer : s.deskTitle;
  }, [queue.offer, s]);

  useEffect(() => {
    if (queue.agent && chosenStatus === null) setChosenStatus(queue.agent.status);
  }, [queue.agent]);

  // The queue may change the status itself (offline after silence, away after missed offers).
  useEffect(() => {
    const status = heartbeat.reply?.status;
    if (!isAgentStatus(status) || !queue.agent || status === queue.agent.status) return;
    update((q) => (q.agent ? { ...q, agent: { ...q.agent, status } } : q));
  }, [heartbeat.reply]);

  const selected = queue.active.find((c) => c.id === selectedId) ?? null;
  // Open the agent's call when there is exactly one and nothing else is open.
  useEffect(() => {
    if (!selected && !completion && queue.active.length > 0) setSelectedId(queue.active[0]!.id);
  }, [queue.active, selected, completion]);

  async function take(callId: string) {
    setBusy(true);
    setError(null);
    try {
      const reply = await api<AcceptReply>(`/video-calls/${callId}/accept`, { method: "POST" });
      update((q) => ({
        ...q,
        active: [...q.active.filter((c) => c.id !== callId), reply.call],
        pending: q.pending.filter((c) => c.id !== callId),
        offer: q.offer?.call_id === callId ? null : q.offer,
      }));
      setCompletion(null);
      setSelectedId(callId);
    } catch (err) {
      setError(err);
      if (queue.offer?.call_id === callId) update((q) => ({ ...q, offer: null }));
    } finally {
      setBusy(false);
    }
  }

  async function reject(callId: string) {
    setBusy(true);
    setError(null);
    try {
      await api(`/video-calls/${callId}/reject`, { method: "POST" });
    } catch (err) {
      setError(err);
    } finally {
      update((q) => (q.offer?.call_id === callId ? { ...q, offer: null } : q));
      setBusy(false);
    }
  }

  // A / R answer the offer from anywhere on the desk except form fields.
  useEffect(() => {
    const offer = queue.offer;
    if (!offer) return;
    const onKey = (e: KeyboardEvent) => {
      if (busy || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      const key = e.key.toLowerCase();
      if (key === "a") void take(offer.call_id);
      else if (key === "r") void reject(offer.call_id);
      else return;
      e.preventDefault();
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [queue.offer, busy]);

  const completed = (done: Completion) => {
    setCompletion(done);
    setSelectedId(null);
    setHistoryVersion((v) => v + 1);
    update((q) => ({ ...q, active: q.active.filter((c) => c.id !== done.callId) }));
  };

  const others = queue.active.filter((c) => c.id !== selected?.id);
  return (
    <div class="desk">
      <AgentStatusBar
        agent={queue.agent}
        chosenStatus={chosenStatus}
        socket={socket}
        heartbeat={heartbeat}
        onAgent={(agent) => {
          setChosenStatus(agent.status);
          update((q) => ({ ...q, agent }));
        }}
      />
      <p class="sr-only" aria-live="polite">
        {queue.announcement}
      </p>
      {queue.offer && (
        <OfferBanner
          offer={queue.offer}
          serverOffsetMs={queue.serverOffsetMs}
          busy={busy}
          onAccept={() => void take(queue.offer!.call_id)}
          onReject={() => void reject(queue.offer!.call_id)}
        />
      )}
      <ErrorNote error={error} />
      <div class="desk-grid">
        <div class="desk-main">
          {selected ? (
            <CallWorkspace key={selected.id} call={selected} onCompleted={completed} />
          ) : (
            <>
              {completion && (
                <div class="notice ok" role="status" data-testid="completion">
                  <p>
                    {s.callCompleted(completion.userName)}
                    <strong>{decisionWords(s, completion.decision)}</strong>. {s.auditRecordOf}{" "}
                    <code>{completion.result.audit.record_id}</code> ({completion.result.audit.status}).
                  </p>
                  <button class="secondary small" onClick={() => setCompletion(null)}>
                    {s.dismiss}
                  </button>
                </div>
              )}
              <section class="panel" aria-labelledby="queue-title">
                <div class="panel-head">
                  <h2 id="queue-title">{s.waitingCustomers}</h2>
                  <span class="muted">{queue.synced ? s.nWaiting(queue.pending.length) : s.syncing}</span>
                </div>
                <QueueTable
                  calls={queue.pending}
                  serverOffsetMs={queue.serverOffsetMs}
                  me={me}
                  caption={s.waitingCustomersCaption}
                  actions={(call) => (
                    <button
                      class="secondary small"
                      disabled={busy}
                      onClick={() => void take(call.id)}
                      aria-label={s.takeCallWith(call.user_name)}
                    >
                      {s.take}
                    </button>
                  )}
                />
              </section>
            </>
          )}
        </div>
        <aside class="desk-side">
          <AgentSkills agentId={me} agent={queue.agent} />
          <section class="panel" aria-labelledby="mine-title">
            <h2 id="mine-title">{s.yourCalls}</h2>
            {queue.active.length === 0 ? (
              <p class="empty">{queue.agent?.status === "online" ? s.noActiveCallsOnline : s.noActiveCallsOffline}</p>
            ) : (
              <ul class="call-list">
                {queue.active.map((call) => (
                  <li key={call.id} class={call.id === selected?.id ? "current" : ""}>
                    <PriorityBadge priority={call.priority} /> {call.user_name}
                    <span class="muted">{call.status === "in_progress" ? s.inCall : s.readyToStart}</span>
                    {call.id !== selected?.id && (
                      <button class="secondary small" onClick={() => (setCompletion(null), setSelectedId(call.id))}>
                        {s.open}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
          {selected && (
            <section class="panel" aria-labelledby="side-queue-title">
              <h2 id="side-queue-title">{s.queueCount(queue.pending.length)}</h2>
              <QueueTable calls={queue.pending} serverOffsetMs={queue.serverOffsetMs} me={me} compact caption={s.waitingCustomers} />
              {others.length > 0 && <p class="muted">{s.moreCallsOpen(others.length)}</p>}
            </section>
          )}
          <section class="panel" aria-labelledby="history-title">
            <h2 id="history-title">{s.recentCalls}</h2>
            <CallHistory version={historyVersion} limit={8} compact />
          </section>
        </aside>
      </div>
    </div>
  );
}
