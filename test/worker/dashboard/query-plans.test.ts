// The dashboard's historical queries must read an index range, never scan the table: that is
// what keeps them fast at a million calls (bench/dashboard-queries.ts measures it).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const PLANS: Array<[string, string, unknown[]]> = [
  ["metrics", "SELECT COUNT(*) FROM video_calls WHERE tenant_id = ?1 AND created_at >= ?2", ["t", 0]],
  ["offers", "SELECT COUNT(*) FROM call_offers WHERE tenant_id = ? AND offered_at >= ?", ["t", 0]],
  [
    "per agent",
    "SELECT agent_id, COUNT(*) FROM video_calls WHERE tenant_id = ?1 AND created_at >= ?2 AND agent_id IS NOT NULL GROUP BY agent_id",
    ["t", 0],
  ],
  [
    "per hour",
    "SELECT strftime('%Y-%m-%d %H:00', created_at / 1000, 'unixepoch') AS hour, COUNT(*) FROM video_calls WHERE tenant_id = ? AND created_at >= ? GROUP BY hour",
    ["t", 0],
  ],
  ["recent", "SELECT * FROM video_calls WHERE tenant_id = ? ORDER BY created_at DESC LIMIT 10", ["t"]],
  [
    "history",
    "SELECT * FROM video_calls WHERE tenant_id = ? AND agent_id = ? AND status IN ('completed') ORDER BY id DESC LIMIT 21",
    ["t", "a"],
  ],
];

describe("dashboard query plans", () => {
  it.each(PLANS)("searches an index for %s", async (_name, sql, params) => {
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...params)
      .all<{ detail: string }>();
    const details = plan.results.map((r) => r.detail);
    expect(
      details.some((d) => /SEARCH (video_calls|call_offers) USING (COVERING )?INDEX/.test(d)),
      details.join(" | "),
    ).toBe(true);
    expect(
      details.filter((d) => /^SCAN (video_calls|call_offers)\b/.test(d)),
      details.join(" | "),
    ).toEqual([]);
  });
});
