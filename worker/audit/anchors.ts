// The audit records about a verification (its documents, itself, its calls) and where each
// stands in the log and on the chain, for the verification's detail view.
import { anchorCovering } from "../db/anchors.ts";
import { recordsAboutVerification } from "../db/audit-records.ts";
import type { Database } from "../db/client.ts";
import type { Anchor } from "../schemas/receipts.ts";
import { anchorView } from "./receipts.ts";

export type RecordAnchor = { record_id: string; kind: string; leaf_index: number | null; anchor: Anchor };

export async function anchorsOfVerification(db: Database, verificationId: string): Promise<RecordAnchor[]> {
  const records = await recordsAboutVerification(db, verificationId);
  return Promise.all(
    records.map(async (r) => ({
      record_id: r.id,
      kind: r.kind,
      leaf_index: r.leafIndex,
      anchor: r.leafIndex === null ? { status: "pending" as const } : anchorView(await anchorCovering(db, r.leafIndex)),
    })),
  );
}
