// The re-drive (`POST /api/v1/admin/redrive`, behind `npm run redrive`): every audit record not
// yet logged goes back on the queue, however many, as often as it is called, and the log ends
// with each record exactly once. Anchors the queue gave up on are re-driven in
// test/faults/redrive.test.ts, which can take the master down.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../support/api.ts";
import { auditLog } from "../support/audit.ts";
import { eventually } from "../support/queue.ts";
import { newTenant } from "../support/tenant.ts";
import { deliverDeadLetters, leavesPerRecord, redrive, stillUnlogged, unloggedRecords } from "./pipeline-support.ts";

describe("POST /admin/redrive", () => {
  it("is for IT staff and managers only", async () => {
    const t = await newTenant({ agents: 1, customers: 1 });
    expect((await call("/admin/redrive", { method: "POST" })).status).toBe(401);
    for (const user of [t.agents[0]!, t.customers[0]!]) {
      const res = await call("/admin/redrive", { method: "POST", token: user.token });
      expect(res.status).toBe(403);
      expect((await res.json<any>()).error).toMatchObject({ code: "forbidden", details: { permission: "operations.redrive" } });
    }
    for (const user of [t.it, t.manager]) expect((await redrive(user.token)).status).toBe(200);
  });

  it("logs every record whose message reached the dead-letter queue exactly once, even when re-driven twice at once", async () => {
    const t = await newTenant({ agents: 0, customers: 0 });
    // More than one page of the re-drive (500) and many queue batches (100).
    const ids = await unloggedRecords("redrive:dlq", 620);
    const dead = await deliverDeadLetters(
      "verifyid-audit-dlq",
      ids.slice(0, 100).map((record_id) => ({ record_id })),
    );
    expect(dead.ackAll).toBe(true);
    // The dead-letter consumer leaves them where they were: in D1, unlogged.
    expect(await stillUnlogged("redrive:dlq")).toBe(620);
    const sizeBefore = await auditLog().size();

    const reports = await Promise.all([redrive(t.it.token), redrive(t.it.token)]);
    for (const report of reports) {
      expect(report.status).toBe(200);
      expect(report.body.records_requeued).toBe(report.body.records_unlogged);
    }
    // The queue may log part of one's pages before the other reads them; one of them saw all.
    expect(Math.max(...reports.map((r) => r.body.records_unlogged))).toBe(620);

    await eventually(async () => expect(await stillUnlogged("redrive:dlq")).toBe(0), 30_000);
    const leaves = await leavesPerRecord("redrive:dlq");
    expect(leaves.size).toBe(620);
    expect([...leaves.values()].every((n) => n === 1)).toBe(true);
    // Nothing else was appended for them, and D1 names each record's own, distinct leaf.
    expect((await auditLog().size()) - sizeBefore).toBe(620);
    const indices = await env.DB.prepare("SELECT COUNT(DISTINCT leaf_index) AS n FROM audit_records WHERE id LIKE 'redrive:dlq%'").first<{
      n: number;
    }>();
    expect(indices!.n).toBe(620);
    for (const id of [ids[0]!, ids[619]!]) {
      const row = await env.DB.prepare("SELECT leaf_index FROM audit_records WHERE id = ?").bind(id).first<{ leaf_index: number }>();
      expect((await auditLog().leaf(row!.leaf_index))?.record_id).toBe(id);
    }

    // A later re-drive finds nothing to do and appends nothing.
    const again = await redrive(t.it.token);
    expect(again.body).toMatchObject({ records_unlogged: 0, records_requeued: 0 });
    expect((await auditLog().size()) - sizeBefore).toBe(620);
  });
});
