// A short cache (seed 002: 30 s) for the heavy historical queries, in the Workers Cache API.
// Keys carry the data version the coordinator has written to D1, so a cached answer is
// reused only while nothing it counts has changed.

const ORIGIN = "https://dashboard-cache.verifyid.internal";

/** The cached value for `key`, computing and storing it for `ttlSeconds` on a miss. */
export async function cachedJson<T>(key: string, ttlSeconds: number, compute: () => Promise<T>): Promise<T> {
  const request = new Request(`${ORIGIN}/${encodeURIComponent(key)}`);
  const cache = caches.default;
  const hit = await cache.match(request);
  if (hit) return (await hit.json()) as T;
  const value = await compute();
  await cache.put(request, new Response(JSON.stringify(value), { headers: { "Content-Type": "application/json", "Cache-Control": `max-age=${ttlSeconds}` } }));
  return value;
}
