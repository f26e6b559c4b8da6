// Service levels, live: the dashboard socket (API.md "Real-time dashboard") sends the figures
// on connect and again, at most every two seconds, whenever a call changes. Definitions are
// the server's (worker/core/metrics.ts); this panel only shows them.
import { useState } from "preact/hooks";
import "../../lib/zod-config.ts";
import { DashboardServerMessage, type DashboardMetrics } from "../../../../worker/schemas/messages.ts";
import { ConnectionPill } from "../../components/ConnectionPill.tsx";
import { useLiveSocket } from "../../lib/socket.ts";

const PERIODS = [
  [1, "Last hour"],
  [24, "Last 24 hours"],
  [168, "Last 7 days"],
] as const;

const seconds = (s: number) => (s < 90 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`);
/** A rate over nothing is not 0 %: show a dash until there is something to measure. */
const rate = (value: number, over: number) => (over > 0 ? `${value}%` : "—");

function Tile({ label, value, hint, alarm }: { label: string; value: string; hint?: string; alarm?: boolean }) {
  return (
    <div class={`tile${alarm ? " alarm" : ""}`} title={hint}>
      <span class="tile-value">{value}</span>
      <span class="tile-label">{label}</span>
    </div>
  );
}

export function ServiceLevelPanel() {
  const [hours, setHours] = useState<number>(24);
  const [metrics, setMetrics] = useState<DashboardMetrics | null>(null);
  const state = useLiveSocket(`/api/v1/dashboard/ws?hours=${hours}&streams=metrics`, DashboardServerMessage, (message) => {
    if (message.type === "initial_state" || message.type === "metrics_update") setMetrics(message.metrics);
  });

  return (
    <section class="panel" aria-labelledby="service-title" data-testid="service-levels">
      <div class="panel-head">
        <h2 id="service-title">Service levels</h2>
        <label class="inline">
          Period
          <select value={hours} onChange={(e) => (setMetrics(null), setHours(Number(e.currentTarget.value)))}>
            {PERIODS.map(([h, label]) => (
              <option value={h}>{label}</option>
            ))}
          </select>
        </label>
        <ConnectionPill state={state} />
      </div>
      {!metrics ? (
        <p class="muted">Loading figures…</p>
      ) : (
        <>
          <div class="tiles" aria-live="polite">
            <Tile
              label={`Service level (taken within ${metrics.service_level_seconds} s)`}
              value={rate(metrics.service_level, metrics.total_calls)}
              alarm={metrics.total_calls > 0 && metrics.service_level < 80}
              hint="Calls an agent took within the target, out of those taken, left unanswered, or still waiting past it"
            />
            <Tile label="Average wait until taken" value={metrics.total_calls ? seconds(metrics.average_wait_seconds) : "—"} />
            <Tile
              label="Abandonment"
              value={rate(metrics.abandonment_rate, metrics.total_calls)}
              alarm={metrics.abandonment_rate > 10}
              hint="Customers who left before an agent took their call"
            />
            <Tile label="Approved" value={rate(metrics.success_rate, metrics.completed_calls)} hint="Of completed calls" />
            <Tile label="Calls" value={String(metrics.total_calls)} />
            <Tile label="Active now" value={String(metrics.active_calls)} />
            <Tile label="Completed" value={String(metrics.completed_calls)} />
            <Tile label="Average call" value={metrics.completed_calls ? seconds(metrics.average_duration) : "—"} />
          </div>
          <p class="muted">
            Outcomes: {metrics.outcome_counts.approved} approved · {metrics.outcome_counts.rejected} rejected ·{" "}
            {metrics.outcome_counts.needs_review} for review · {metrics.outcome_counts.cancelled} cancelled ·{" "}
            {metrics.outcome_counts.abandoned} abandoned. Offers: {metrics.offers.accepted} accepted, {metrics.offers.rejected} rejected,{" "}
            {metrics.offers.expired} expired. Agents: {metrics.agents.online} online, {metrics.agents.available} free,{" "}
            {metrics.agents.in_call} on a call.
          </p>
        </>
      )}
    </section>
  );
}
