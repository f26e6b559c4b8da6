// Per-queue figures (issue 17): what waits in each of the tenant's queues, the service level
// against that queue's own target, abandonment, and calls no online agent can take. The
// definitions are the server's (GET /dashboard/queues); this panel only shows them.
import { useEffect, useState } from "preact/hooks";
import type { z } from "zod";
import type { QueueFiguresResponse } from "../../../../worker/schemas/routing.ts";
import { api, describeError } from "../../lib/api.ts";

type Figures = z.infer<typeof QueueFiguresResponse>;
const REFRESH_MS = 10_000;
const seconds = (s: number) => (s < 90 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`);

export function QueuesPanel() {
  const [figures, setFigures] = useState<Figures | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const load = () =>
      api<Figures>("/dashboard/queues?hours=24").then(
        (f) => (setFigures(f), setError(null)),
        (err: unknown) => setError(describeError(err)),
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  return (
    <section class="panel" aria-labelledby="queues-title" data-testid="queues">
      <h2 id="queues-title">Queues</h2>
      {error && <p class="error">{error}</p>}
      {!figures ? (
        <p class="muted">Loading…</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">Each queue's waiting calls and service level over the last 24 hours</caption>
            <thead>
              <tr>
                <th scope="col">Queue</th>
                <th scope="col">Waiting</th>
                <th scope="col">Longest wait</th>
                <th scope="col">Service level</th>
                <th scope="col">Abandonment</th>
                <th scope="col">No agent can take</th>
              </tr>
            </thead>
            <tbody>
              {figures.queues.map((q) => (
                <tr key={q.queue_id ?? "default"} data-queue-id={q.queue_id ?? "default"}>
                  <td>{q.name}</td>
                  <td class="num">{q.waiting}</td>
                  <td class="num">{q.waiting ? seconds(q.longest_wait_seconds) : "—"}</td>
                  <td class="num" title={`Taken within ${q.service_level_seconds} s`}>
                    {q.total_calls ? `${q.service_level}%` : "—"} <span class="muted">({q.service_level_seconds} s)</span>
                  </td>
                  <td class="num">{q.total_calls ? `${q.abandonment_rate}%` : "—"}</td>
                  <td class="num">{q.unmatched_call_ids.length ? <span class="warn-text">{q.unmatched_call_ids.length}</span> : 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
