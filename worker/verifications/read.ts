// Reading verifications back: one with everything about it, or a page of them; each as the
// principal may see it (customer-view.ts takes the risk internals out for customers).
import type { z } from "@hono/zod-openapi";
import { anchorsOfVerification } from "../audit/anchors.ts";
import { recordIds } from "../audit/records.ts";
import type { Principal } from "../auth/principal.ts";
import { can } from "../auth/permissions.ts";
import { database } from "../db/client.ts";
import { documentsOf, documentSummary } from "../db/documents.ts";
import { listVerifications, verificationFor, verificationSummary } from "../db/verifications.ts";
import { notFound } from "../http/errors.ts";
import type { CallView } from "../schemas/messages.ts";
import type { VerificationListQuery } from "../schemas/verifications.ts";
import { callViewFor, verificationViewFor } from "./customer-view.ts";

/** A verification with its documents, call and anchors; the answer is API.md's Verification.
 * `findCall` finds a call the principal may see (it throws otherwise). */
export async function verificationDetail(env: Env, who: Principal, id: string, findCall: (callId: string) => Promise<CallView>) {
  const db = database(env.DB);
  const row = await verificationFor(db, who, id);
  if (!row) throw notFound("Verification");
  const docs = await documentsOf(db, row.id);
  const call = row.callId ? await findCall(row.callId).catch(() => null) : null;
  return verificationViewFor(who, {
    ...verificationSummary(row),
    documents: docs.map((d) => documentSummary(d, recordIds.document(d.id))),
    call: callViewFor(who, call),
    anchors: await anchorsOfVerification(db, row.id),
  });
}

/** A page of verifications, newest first: the tenant's for staff who read all, else the caller's own. */
export async function verificationPage(env: Env, who: Principal, query: z.infer<typeof VerificationListQuery>) {
  const customerId = can(who.role, "verifications.read_all") ? undefined : who.userId;
  const { page, nextCursor } = await listVerifications(database(env.DB), who.tenantId, {
    ...query,
    ...(customerId ? { customerId } : {}),
  });
  return { items: page.map((row) => verificationViewFor(who, verificationSummary(row))), next_cursor: nextCursor };
}
