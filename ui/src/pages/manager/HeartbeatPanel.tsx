// Heartbeat statistics (GET /agents/heartbeat/stats), refreshed every few seconds.
import { useEffect, useState } from "preact/hooks";
import type { z } from "zod";
import type { HeartbeatStats } from "../../../../worker/schemas/video-calls.ts";
import { api, describeError } from "../../lib/api.ts";

type Stats = z.infer<typeof HeartbeatStats>;

const REFRESH_MS = 10_000;

export function HeartbeatPanel() {
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);
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
      <h2 id="heartbeat-title">Heartbeats</h2>
      {error && <p class="error">{error}</p>}
      {stats && (
        <>
          <dl class="stats">
            <div>
              <dt>Ready to take calls</dt>
              <dd>
                {stats.ready_agents} / {stats.agents_total}
              </dd>
            </div>
            <div>
              <dt>Online</dt>
              <dd>{stats.agents_online}</dd>
            </div>
            <div>
              <dt>Fresh heartbeats</dt>
              <dd>{stats.fresh_heartbeats}</dd>
            </div>
            <div>
              <dt>Devices connected</dt>
              <dd>{stats.devices_connected}</dd>
            </div>
            <div>
              <dt>Fallback offers</dt>
              <dd>{stats.fallback_offers}</dd>
            </div>
          </dl>
          <p class="muted">
            Agents beat every {stats.heartbeat_interval_seconds} s and count as offline after {stats.offline_after_seconds} s of silence.
          </p>
        </>
      )}
    </section>
  );
}
