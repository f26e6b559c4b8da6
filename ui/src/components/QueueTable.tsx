// The pending calls, in queue order, with live waiting times. The desk and the manager page
// add their own action column.
import type { ComponentChildren } from "preact";
import type { CallView } from "../../../worker/schemas/messages.ts";
import { useNow } from "../lib/clock.ts";
import { clockDuration, docTypeLabel, score } from "../lib/format.ts";
import { PriorityBadge } from "./PriorityBadge.tsx";

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
  if (value == null) return <span class="muted">–</span>;
  const level = value >= 0.7 ? "high" : value >= 0.4 ? "medium" : "low";
  return (
    <span class={`fraud ${level}`} title={`Fraud score ${value.toFixed(2)} (${level})`}>
      <span class="fraud-bar" aria-hidden="true">
        <span style={{ width: `${Math.round(value * 100)}%` }} />
      </span>
      {score(value)}
    </span>
  );
}

export function QueueTable({ calls, serverOffsetMs, me, agentNames, compact, caption, actions }: Props) {
  const now = useNow() + serverOffsetMs;
  if (calls.length === 0) return <p class="empty">No one is waiting. New calls appear here as they arrive.</p>;
  return (
    <div class="table-wrap">
      <table class={`queue ${compact ? "compact" : ""}`}>
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Priority</th>
            <th scope="col">Customer</th>
            <th scope="col">Waiting</th>
            <th scope="col">Fraud</th>
            {!compact && <th scope="col">Documents</th>}
            {!compact && <th scope="col">State</th>}
            {actions && (
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {calls.map((call) => {
            const mine = me !== undefined && call.offered_to === me;
            const offered = call.offered_to
              ? mine
                ? "Offered to you"
                : `Offered to ${agentNames?.[call.offered_to] ?? "an agent"}`
              : "Waiting";
            return (
              <tr key={call.id} data-call-id={call.id} class={mine ? "mine" : ""}>
                <td>
                  <PriorityBadge priority={call.priority} />
                  {call.priority !== call.initial_priority && (
                    <span class="muted" title={`Raised from ${call.initial_priority} after waiting`}>
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
                {!compact && <td>{call.documents.map((d) => docTypeLabel(d.doc_type)).join(", ") || <span class="muted">none</span>}</td>}
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
