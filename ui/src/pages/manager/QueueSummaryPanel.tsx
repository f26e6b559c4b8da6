// Service level at a glance: how many are waiting, by priority, and the longest wait (live).
import type { CallView, QueueSummary } from "../../../../worker/schemas/messages.ts";
import { useNow } from "../../lib/clock.ts";
import { clockDuration } from "../../lib/format.ts";

type Props = { summary: QueueSummary | null; pending: CallView[]; serverOffsetMs: number; activeCalls: number };

export function QueueSummaryPanel({ summary, pending, serverOffsetMs, activeCalls }: Props) {
  const now = useNow() + serverOffsetMs;
  const oldest = pending.reduce((min, c) => Math.min(min, Date.parse(c.created_at)), Infinity);
  const longest = Number.isFinite(oldest) ? (now - oldest) / 1000 : 0;
  const by = summary?.by_priority ?? { urgent: 0, high: 0, normal: 0, low: 0 };
  const tiles: Array<[string, string | number, string]> = [
    ["Waiting", summary?.total_pending ?? pending.length, "total"],
    ["Urgent", by.urgent, "urgent"],
    ["High", by.high, "high"],
    ["Normal", by.normal, "normal"],
    ["Low", by.low, "low"],
    ["Longest wait", clockDuration(longest), longest > 600 ? "alarm" : "wait"],
    ["Agents on calls", activeCalls, "total"],
  ];
  return (
    <section class="panel" aria-labelledby="summary-title">
      <h2 id="summary-title">Queue now</h2>
      <div class="tiles" aria-live="polite">
        {tiles.map(([label, value, tone]) => (
          <div key={label} class={`tile ${tone}`} data-testid={`tile-${label.toLowerCase().replace(/ /g, "-")}`}>
            <span class="tile-value">{value}</span>
            <span class="tile-label">{label}</span>
          </div>
        ))}
      </div>
    </section>
  );
}
