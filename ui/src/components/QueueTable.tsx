// The pending calls, in queue order, with live waiting times. The desk and the manager page
// add their own action column.
import type { ComponentChildren } from "preact";
import type { CallView } from "../../../worker/schemas/messages.ts";
import { useNow } from "../lib/clock.ts";
import { clockDuration, docTypeLabel, score } from "../lib/format.ts";
import { PriorityBadge } from "./PriorityBadge.tsx";
import { useStaffText } from "../lib/staff-i18n.ts";

type Props = {
  calls: CallView[];
  serverOffsetMs: number;
  /** Who "you" are, to mark calls offered to you. */
  me?: string;
  /** Names of agents by id, to say who holds an offer. */
  agentNames?: Record<string, string>;
  compact?: boolean;
  caption: string;
  actions?: (call: CallView) => ComponentChildren;
};

function FraudScore({ value }: { value: number | null }) {
  const s = useStaffText();
  if (value == null) return <span class="muted">–</span>;
  const level = value >= 0.7 ? "high" : value >= 0.4 ? "medium" : "low";
  return (
    <span class={`fraud ${level}`} title={s.fraudScoreTitle(value.toFixed(2), level)}>
      <span class="fraud-bar" aria-hidden="true">
        <span style={{ width: `${Math.round(value * 100)}%` }} />
      </span>
      {score(value)}
    </span>
  );
}

export function QueueTable({ calls, serverOffsetMs, me, agentNames, compact, caption, actions }: Props) {
  const now = useNow() + serverOffsetMs;
  const s = useStaffText();
  if (calls.length === 0) return <p class="empty">{s.queueEmpty}</p>;
  return (
    <div class="table-wrap">
      <table class={`queue ${compact ? "compact" : ""}`}>
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{s.colPriority}</th>
            <th scope="col">{s.colCustomer}</th>
            <th scope="col">{s.colWaiting}</th>
            <th scope="col">{s.colFraud}</th>
            {!compact && <th scope="col">{s.colDocuments}</th>}
            {!compact && <th scope="col">{s.colState}</th>}
            {actions && (
              <th scope="col">
                <span class="sr-only">{s.colActions}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {calls.map((call) => {
            const mine = me !== undefined && call.offered_to === me;
            const offered = call.offered_to ? (mine ? s.offeredToYou : s.offeredTo(agentNames?.[call.offered_to] ?? s.anAgent)) : s.waiting;
            return (
              <tr key={call.id} data-call-id={call.id} class={mine ? "mine" : ""}>
                <td>
                  <PriorityBadge priority={call.priority} />
                  {call.priority !== call.initial_priority && (
                    <span class="muted" title={s.raisedFrom(call.initial_priority)}>
                      {" "}
                      ↑
                    </span>
                  )}
                </td>
                <td>{call.user_name}</td>
                <td class="num">{clockDuration((now - Date.parse(call.created_at)) / 1000)}</td>
                <td>
                  <FraudScore value={call.fraud_score} />
                </td>
                {!compact && (
                  <td>{call.documents.map((d) => docTypeLabel(d.doc_type)).join(", ") || <span class="muted">{s.noDocuments}</span>}</td>
                )}
                {!compact && <td class="muted">{offered}</td>}
                {actions && <td class="row-actions">{actions(call)}</td>}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
