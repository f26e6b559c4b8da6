// Finished calls: the agent's own, or (for managers) the tenant's. Reloads when `version`
// changes, e.g. after a call completes.
import { useEffect, useState } from "preact/hooks";
import type { z } from "zod";
import type { CallView } from "../../../worker/schemas/messages.ts";
import type { CallHistoryPage } from "../../../worker/schemas/video-calls.ts";
import { api, describeError } from "../lib/api.ts";
import { clockDuration, secondsBetween } from "../lib/format.ts";
import { PriorityBadge } from "./PriorityBadge.tsx";

const END_REASON: Record<string, string> = {
  completed: "Completed",
  customer_cancelled: "Customer left",
  staff_cancelled: "Cancelled by staff",
};

export function CallHistory({ version, limit = 10, compact }: { version: number; limit?: number; compact?: boolean }) {
  const [items, setItems] = useState<CallView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<z.infer<typeof CallHistoryPage>>(`/video-calls/history?limit=${limit}`).then(
      (page) => (setItems(page.items), setError(null)),
      (err: unknown) => setError(describeError(err)),
    );
  }, [version, limit]);

  if (error) return <p class="error">{error}</p>;
  if (!items) return <p class="muted">Loading…</p>;
  if (items.length === 0) return <p class="empty">No finished calls yet.</p>;
  return (
    <div class="table-wrap">
      <table class="compact">
        <caption class="sr-only">Recent calls</caption>
        <thead>
          <tr>
            <th scope="col">Ended</th>
            <th scope="col">Customer</th>
            {!compact && <th scope="col">Priority</th>}
            {!compact && <th scope="col">Call</th>}
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {items.map((call) => (
            <tr key={call.id}>
              <td class="num">
                {call.ended_at ? new Date(call.ended_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "–"}
              </td>
              <td>{call.user_name}</td>
              {!compact && (
                <td>
                  <PriorityBadge priority={call.priority} />
                </td>
              )}
              {!compact && (
                <td class="num">{call.started_at ? clockDuration(secondsBetween(call.started_at, call.ended_at, Date.now())) : "–"}</td>
              )}
              <td>{END_REASON[call.end_reason ?? call.status] ?? (call.end_reason ?? call.status).replace(/_/g, " ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
