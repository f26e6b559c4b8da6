// Service level at a glance: how many are waiting, by priority, and the longest wait (live).
import type { CallView, QueueSummary } from "../../../../worker/schemas/messages.ts";
import { useNow } from "../../lib/clock.ts";
import { clockDuration } from "../../lib/format.ts";
import { useStaffText } from "../../lib/staff-i18n.ts";

type Props = { summary: QueueSummary | null; pending: CallView[]; serverOffsetMs: number; activeCalls: number };

export function QueueSummaryPanel({ summary, pending, serverOffsetMs, activeCalls }: Props) {
  const now = useNow() + serverOffsetMs;
  const s = useStaffText();
  const oldest = pending.reduce((min, c) => Math.min(min, Date.parse(c.created_at)), Infinity);
  const longest = Number.isFinite(oldest) ? (now - oldest) / 1000 : 0;
  const by = summary?.by_priority ?? { urgent: 0, high: 0, normal: 0, low: 0 };
  // [test id, label, value, tone]; the ids stay English whatever the language.
  const tiles: Array<[string, string, string | number, string]> = [
    ["waiting", s.tileWaiting, summary?.total_pending ?? pending.length, "total"],
    ["urgent", s.tileUrgent, by.urgent, "urgent"],
    ["high", s.tileHigh, by.high, "high"],
    ["normal", s.tileNormal, by.normal, "normal"],
    ["low", s.tileLow, by.low, "low"],
    ["longest-wait", s.tileLongestWait, clockDuration(longest), longest > 600 ? "alarm" : "wait"],
    ["agents-on-calls", s.tileAgentsOnCalls, activeCalls, "total"],
  ];
  return (
    <section class="panel" aria-labelledby="summary-title">
      <h2 id="summary-title">{s.queueNow}</h2>
      <div class="tiles" aria-live="polite">
        {tiles.map(([id, label, value, tone]) => (
          <div key={id} class={`tile ${tone}`} data-testid={`tile-${id}`}>
            <span class="tile-value">{value}</span>
            <span class="tile-label">{label}</span>
          </div>
        ))}
      </div>
    </section>
  );
}
