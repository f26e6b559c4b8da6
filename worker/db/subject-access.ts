// Reads for a verification's export (subject access): its calls, their recordings and the
// overrides of their decisions. Read only; the tables' writers are named in schema.ts.
import { asc, eq, inArray } from "drizzle-orm";
import type { Database } from "./client.ts";
import { callRecordings, decisionOverrides, videoCalls } from "./schema.ts";

export async function callsOfVerification(db: Database, verificationId: string) {
  return db.query.videoCalls.findMany({ where: eq(videoCalls.verificationId, verificationId), orderBy: asc(videoCalls.createdAt) });
}

export async function recordingsOfCalls(db: Database, callIds: string[]) {
  if (callIds.length === 0) return [];
  return db.query.callRecordings.findMany({ where: inArray(callRecordings.callId, callIds), orderBy: asc(callRecordings.createdAt) });
}

export async function overridesOfVerification(db: Database, verificationId: string) {
  return db.query.decisionOverrides.findMany({
    where: eq(decisionOverrides.verificationId, verificationId),
    orderBy: asc(decisionOverrides.createdAt),
  });
}
