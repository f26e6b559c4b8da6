// A short cache (seed 002: 30 s) for the heavy historical queries, in the Workers Cache API.
// Only answers that were slow to compute are kept: a tenant with an ordinary volume gets exact,
// fresh figures on every request, while one with a million calls in the period is protected
// from recomputing them on every dashboard refresh (its history may then lag by up to 30 s;
// live figures never do).

const ORIGIN = "https://dashboard-cache.verifyid.internal";
/** A computation slower than this is worth caching. */
export const HEAVY_MS = 100;

/** The cached value for `key`, or a fresh one (stored for `ttlSeconds` when it was heavy). */
export async function cachedJson<T>(key: string, ttlSeconds: number, compute: () => Promise<T>): Promise<T> {
  const request = new Request(`${ORIGIN}/${encodeURIComponent(key)}`);
  const cache = caches.default;
  const hit = await cache.match(request);
  if (hit) return (await hit.json()) as T;
  const started = Date.now();
  const value = await compute();
  if (Date.now() - started >= HEAVY_MS) {
    await cache.put(
      request,
      new Response(JSON.stringify(value), { headers: { "Content-Type": "application/json", "Cache-Control": `max-age=${ttlSeconds}` } }),
    );
  }
  return value;
}
