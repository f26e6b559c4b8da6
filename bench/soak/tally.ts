// Every HTTP answer the soak's clients got, by status code and by route: what the report's
// "requests by status code" is made of. Plain objects, so a client process's tally crosses the
// IPC channel as is and the parent merges them.
import { request, type Answer } from "../lib/api.ts";

/** "POST /verifications/:id/submit" → status ("0": no answer at all) → count. */
export type Tally = Record<string, Record<string, number>>;

/** `/verifications/0197…/documents` → `/verifications/:id/documents`: ids (they hold digits and
 * are long, or are record ids with a colon) become `:id`, the query goes. */
export function routeOf(method: string, path: string): string {
  const segments = path
    .split("?")[0]!
    .split("/")
    .map((s) => ((s.length >= 12 && /\d/.test(s)) || decodeURIComponent(s).includes(":") ? ":id" : s));
  return `${method} ${segments.join("/")}`;
}

export function count(tally: Tally, route: string, status: number) {
  const byStatus = (tally[route] ??= {});
  byStatus[status] = (byStatus[status] ?? 0) + 1;
}

/** `request` (bench/lib/api.ts) that counts its answer; a request that fails outright counts as status 0 and rethrows. */
export function countingRequest(tally: Tally, baseUrl: string) {
  return async (path: string, init: Parameters<typeof request>[2] = {}): Promise<Answer> => {
    const route = routeOf(init.method ?? (init.json !== undefined || init.body ? "POST" : "GET"), path);
    try {
      const answer = await request(baseUrl, path, init);
      count(tally, route, answer.status);
      return answer;
    } catch (err) {
      count(tally, route, 0);
      throw err;
    }
  };
}

export function mergeTallies(parts: Tally[]): Tally {
  const out: Tally = {};
  for (const part of parts)
    for (const [route, byStatus] of Object.entries(part))
      for (const [status, n] of Object.entries(byStatus)) {
        const into = (out[route] ??= {});
        into[status] = (into[status] ?? 0) + n;
      }
  return out;
}

/** Status code → count over every route. */
export function byStatus(tally: Tally): Record<string, number> {
  const out: Record<string, number> = {};
  for (const counts of Object.values(tally)) for (const [status, n] of Object.entries(counts)) out[status] = (out[status] ?? 0) + n;
  return out;
}

/** The routes that answered 5xx or not at all, with those counts. */
export function serverErrors(tally: Tally): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [route, counts] of Object.entries(tally)) {
    const bad = Object.entries(counts).filter(([status]) => status === "0" || Number(status) >= 500);
    if (bad.length) out[route] = Object.fromEntries(bad);
  }
  return out;
}
