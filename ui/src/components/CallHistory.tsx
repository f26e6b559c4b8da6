// Finished calls: the agent's own, or (for managers) the tenant's. Reloads when `version`
// changes, e.g. after a call completes.
import { useEffect, useState } from "preact/hooks";
import type { z } from "zod";
import type { CallView } from "../../../worker/schemas/messages.ts";
import type { CallHistoryPage } from "../../../worker/schemas/video-calls.ts";
import { api, describeError } from "../lib/api.ts";
import { clockDuration, secondsBetween } from "../lib/format.ts";
import { PriorityBadge } from "./PriorityBadge.tsx";
import { useStaffText } from "../lib/staff-i18n.ts";
import type { StaffMessages } from "../i18n/staff.ts";

const END_REASON = {
  completed: "endCompleted",
  customer_cancelled: "endCustomerCancelled",
  staff_cancelled: "endStaffCancelled",
} as const satisfies Record<string, keyof StaffMessages>;

/** How a call ended, in words; an unknown reason as its code, spaced. */
function endReason(s: StaffMessages, reason: string): string {
  return Object.hasOwn(END_REASON, reason) ? s[END_REASON[reason as keyof typeof END_REASON]] : reason.replace(/_/g, " ");
}

export function CallHistory({ version, limit = 10, compact }: { version: number; limit?: number; compact?: boolean }) {
  const [items, setItems] = useState<CallView[] | null>(null);
  const s = useStaffText();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<z.infer<typeof CallHistoryPage>>(`/video-calls/history?limit=${limit}`).then(
      (page) => (setItems(page.items), setError(null)),
      (err: unknown) => setError(describeError(err)),
    );
  }, [version, limit]);

  if (error) return <p class="error">{error}</p>;
  if (!items) return <p class="muted">{s.loading}</p>;
  if (items.length === 0) return <p class="empty">{s.noFinishedCalls}</p>;
  return (
    <div class="table-wrap">
      <table class="compact">
        <caption class="sr-only">{s.recentCalls}</caption>
        <thead>
          <tr>
            <th scope="col">{s.colEnded}</th>
            <th scope="col">{s.colCustomer}</th>
            {!compact && <th scope="col">{s.colPriority}</th>}
            {!compact && <th scope="col">{s.colCall}</th>}
            <th scope="col">{s.colOutcome}</th>
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
              <td>{endReason(s, call.end_reason ?? call.status)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
