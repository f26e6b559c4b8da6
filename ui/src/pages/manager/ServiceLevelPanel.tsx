// Service levels, live: the dashboard socket (API.md "Real-time dashboard") sends the figures
// on connect and again, at most every two seconds, whenever a call changes. Definitions are
// the server's (worker/core/metrics.ts); this panel only shows them.
import { useState } from "preact/hooks";
import "../../lib/zod-config.ts";
import { DashboardServerMessage, type DashboardMetrics } from "../../../../worker/schemas/messages.ts";
import { ConnectionPill } from "../../components/ConnectionPill.tsx";
import { useLiveSocket } from "../../lib/socket.ts";
import { seconds, useStaffText } from "../../lib/staff-i18n.ts";
import type { StaffMessages } from "../../i18n/staff.ts";

const PERIODS = [
  [1, "lastHour"],
  [24, "last24Hours"],
  [168, "last7Days"],
] as const;

/** A rate over nothing is not 0 %: show a dash until there is something to measure. */
const rate = (s: StaffMessages, value: number, over: number) => (over > 0 ? `${value}%` : s.none);

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
  const s = useStaffText();
  const state = useLiveSocket(`/api/v1/dashboard/ws?hours=${hours}&streams=metrics`, DashboardServerMessage, (message) => {
    if (message.type === "initial_state" || message.type === "metrics_update") setMetrics(message.metrics);
  });

  return (
    <section class="panel" aria-labelledby="service-title" data-testid="service-levels">
      <div class="panel-head">
        <h2 id="service-title">{s.serviceLevels}</h2>
        <label class="inline">
          {s.period}
          <select value={hours} onChange={(e) => (setMetrics(null), setHours(Number(e.currentTarget.value)))}>
            {PERIODS.map(([h, label]) => (
              <option value={h}>{s[label]}</option>
            ))}
          </select>
        </label>
        <ConnectionPill state={state} />
      </div>
      {!metrics ? (
        <p class="muted">{s.loadingFigures}</p>
      ) : (
        <>
          <div class="tiles" aria-live="polite">
            <Tile
              label={s.serviceLevelTile(metrics.service_level_seconds)}
              value={rate(s, metrics.service_level, metrics.total_calls)}
              alarm={metrics.total_calls > 0 && metrics.service_level < 80}
              hint={s.serviceLevelHint}
            />
            <Tile label={s.averageWait} value={metrics.total_calls ? seconds(s, metrics.average_wait_seconds) : s.none} />
            <Tile
              label={s.abandonment}
              value={rate(s, metrics.abandonment_rate, metrics.total_calls)}
              alarm={metrics.abandonment_rate > 10}
              hint={s.abandonmentHint}
            />
            <Tile label={s.approved} value={rate(s, metrics.success_rate, metrics.completed_calls)} hint={s.ofCompletedCalls} />
            <Tile label={s.calls} value={String(metrics.total_calls)} />
            <Tile label={s.activeNow} value={String(metrics.active_calls)} />
            <Tile label={s.completed} value={String(metrics.completed_calls)} />
            <Tile label={s.averageCall} value={metrics.completed_calls ? seconds(s, metrics.average_duration) : s.none} />
          </div>
          <p class="muted">
            {s.outcomesLine(metrics.outcome_counts)} {s.offersLine(metrics.offers)} {s.agentsLine(metrics.agents)}
          </p>
        </>
      )}
    </section>
  );
}
