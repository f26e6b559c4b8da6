// Heartbeat statistics (GET /agents/heartbeat/stats), refreshed every few seconds.
import { useEffect, useState } from "preact/hooks";
import type { z } from "zod";
import type { HeartbeatStats } from "../../../../worker/schemas/video-calls.ts";
import { api, describeError } from "../../lib/api.ts";
import { useStaffText } from "../../lib/staff-i18n.ts";

type Stats = z.infer<typeof HeartbeatStats>;

const REFRESH_MS = 10_000;

export function HeartbeatPanel() {
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const s = useStaffText();
  useEffect(() => {
    const load = () =>
      api<Stats>("/agents/heartbeat/stats").then(
        (s) => (setStats(s), setError(null)),
        (err: unknown) => setError(describeError(err)),
      );
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  return (
    <section class="panel" aria-labelledby="heartbeat-title">
      <h2 id="heartbeat-title">{s.heartbeats}</h2>
      {error && <p class="error">{error}</p>}
      {stats && (
        <>
          <dl class="stats">
            <div>
              <dt>{s.readyToTakeCalls}</dt>
              <dd>
                {stats.ready_agents} / {stats.agents_total}
              </dd>
            </div>
            <div>
              <dt>{s.online}</dt>
              <dd>{stats.agents_online}</dd>
            </div>
            <div>
              <dt>{s.freshHeartbeats}</dt>
              <dd>{stats.fresh_heartbeats}</dd>
            </div>
            <div>
              <dt>{s.devicesConnected}</dt>
              <dd>{stats.devices_connected}</dd>
            </div>
            <div>
              <dt>{s.fallbackOffers}</dt>
              <dd>{stats.fallback_offers}</dd>
            </div>
          </dl>
          <p class="muted">{s.heartbeatRule(stats.heartbeat_interval_seconds, stats.offline_after_seconds)}</p>
        </>
      )}
    </section>
  );
}
