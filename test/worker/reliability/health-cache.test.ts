// /health keeps D1's figures (ping, pipeline backlog) per binding for HEALTH_CACHE_MS, so polling
// it costs D1 a few reads a second at most. (The worker project runs with the cache off, value 0,
// so the other health tests see each change at once.)
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { measureD1 } from "../../../worker/routes/health.ts";

describe("health's D1 figures", () => {
  it("are measured once per TTL and again after it", async () => {
    const t0 = Date.now();
    const first = await measureD1(env.DB, t0, 2000);
    expect(first.d1.status).toBe("ok");
    expect(await measureD1(env.DB, t0 + 1999, 2000)).toBe(first);
    const later = await measureD1(env.DB, t0 + 2000, 2000);
    expect(later).not.toBe(first);
    expect(later.at).toBe(t0 + 2000);
    // A clock that went back, or the cache off, measures again.
    expect(await measureD1(env.DB, t0 + 1000, 2000)).not.toBe(later);
    const off = await measureD1(env.DB, t0 + 3000, 0);
    expect(await measureD1(env.DB, t0 + 3000, 0)).not.toBe(off);
  });
});
