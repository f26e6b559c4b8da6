// The verification_lifecycle table, written only here: legal holds, retention's byte purges and
// erasures, one row per verification, made on first need.
import { eq, sql } from "drizzle-orm";
import type { Database } from "./client.ts";
import { toStatement } from "./client.ts";
import { verificationLifecycle } from "./schema.ts";

export type LifecycleRow = typeof verificationLifecycle.$inferSelect;

export async function lifecycleOf(db: Database, verificationId: string): Promise<LifecycleRow | undefined> {
  return db.query.verificationLifecycle.findFirst({ where: eq(verificationLifecycle.verificationId, verificationId) });
}

/** Places (or re-states) a legal hold; the first placement's time and author are replaced. */
export async function placeLegalHold(
  db: Database,
  key: { verificationId: string; tenantId: string },
  hold: { reason: string; by: string; at: number },
) {
  await db
    .insert(verificationLifecycle)
    .values({ ...key, legalHoldReason: hold.reason, legalHoldBy: hold.by, legalHoldAt: hold.at })
    .onConflictDoUpdate({
      target: verificationLifecycle.verificationId,
      set: { legalHoldReason: hold.reason, legalHoldBy: hold.by, legalHoldAt: hold.at },
    });
}

export async function releaseLegalHold(db: Database, verificationId: string) {
  await db
    .update(verificationLifecycle)
    .set({ legalHoldReason: null, legalHoldBy: null, legalHoldAt: null })
    .where(eq(verificationLifecycle.verificationId, verificationId));
}

/** Notes that retention deleted the verification's document or recording bytes. */
export async function markPurged(
  db: Database,
  key: { verificationId: string; tenantId: string },
  what: "documents" | "recordings",
  at: number,
) {
  const set = what === "documents" ? { documentsPurgedAt: at } : { recordingsPurgedAt: at };
  await db
    .insert(verificationLifecycle)
    .values({ ...key, ...set })
    .onConflictDoUpdate({ target: verificationLifecycle.verificationId, set });
}

/** The statement that records an erasure (for the erasure's batch); a second erasure keeps the first's facts. */
export function recordErasure(
  d1: D1Database,
  db: Database,
  erasure: {
    verificationId: string;
    tenantId: string;
    erasedAt: number;
    erasedBy: string;
    basis: string;
    reason: string;
    reasonKey: string;
    recordId: string;
  },
): D1PreparedStatement {
  const values = {
    verificationId: erasure.verificationId,
    tenantId: erasure.tenantId,
    erasedAt: erasure.erasedAt,
    erasedBy: erasure.erasedBy,
    erasureBasis: erasure.basis,
    erasureReason: erasure.reason,
    erasureReasonKey: erasure.reasonKey,
    erasureRecordId: erasure.recordId,
  };
  const keep = <C extends keyof typeof values>(column: C) =>
    sql`COALESCE(${verificationLifecycle[column]}, excluded.${sql.raw(verificationLifecycle[column].name)})`;
  return toStatement(
    d1,
    db
      .insert(verificationLifecycle)
      .values(values)
      .onConflictDoUpdate({
        target: verificationLifecycle.verificationId,
        set: {
          erasedAt: keep("erasedAt"),
          erasedBy: keep("erasedBy"),
          erasureBasis: keep("erasureBasis"),
          erasureReason: keep("erasureReason"),
          erasureReasonKey: keep("erasureReasonKey"),
          erasureRecordId: keep("erasureRecordId"),
        },
      }),
  );
}
