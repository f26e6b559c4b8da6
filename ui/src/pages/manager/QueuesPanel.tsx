// Per-queue figures (issue 17): what waits in each of the tenant's queues, the service level
// against that queue's own target, abandonment, and calls no online agent can take. The
// definitions are the server's (GET /dashboard/queues); this panel only shows them.
import { useEffect, useState } from "preact/hooks";
import type { z } from "zod";
import type { QueueFiguresResponse } from "../../../../worker/schemas/routing.ts";
import { api, describeError } from "../../lib/api.ts";
import { seconds, useStaffText } from "../../lib/staff-i18n.ts";

type Figures = z.infer<typeof QueueFiguresResponse>;
const REFRESH_MS = 10_000;

export function QueuesPanel() {
  const [figures, setFigures] = useState<Figures | null>(null);
  const [error, setError] = useState<string | null>(null);
  const s = useStaffText();
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
      <h2 id="queues-title">{s.queues}</h2>
      {error && <p class="error">{error}</p>}
      {!figures ? (
        <p class="muted">{s.loading}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">{s.queuesCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{s.colQueue}</th>
                <th scope="col">{s.colWaiting}</th>
                <th scope="col">{s.colLongestWait}</th>
                <th scope="col">{s.colServiceLevel}</th>
                <th scope="col">{s.colAbandonment}</th>
                <th scope="col">{s.colNoAgentCanTake}</th>
              </tr>
            </thead>
            <tbody>
              {figures.queues.map((q) => (
                <tr key={q.queue_id ?? "default"} data-queue-id={q.queue_id ?? "default"}>
                  <td>{q.name}</td>
                  <td class="num">{q.waiting}</td>
                  <td class="num">{q.waiting ? seconds(s, q.longest_wait_seconds) : s.none}</td>
                  <td class="num" title={s.takenWithin(q.service_level_seconds)}>
                    {q.total_calls ? `${q.service_level}%` : s.none} <span class="muted">({s.seconds(q.service_level_seconds)})</span>
                  </td>
                  <td class="num">{q.total_calls ? `${q.abandonment_rate}%` : s.none}</td>
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
