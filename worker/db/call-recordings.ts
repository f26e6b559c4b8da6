// The call_recordings table: metadata of the video-call recordings whose sealed bytes are in R2,
// written only here (calls/record-recording.ts).
import { desc, eq } from "drizzle-orm";
import type { Database } from "./client.ts";
import { callRecordings } from "./schema.ts";

export type CallRecordingRow = typeof callRecordings.$inferSelect;

/** The call's most recent recording, if any. */
export async function latestRecordingOf(db: Database, callId: string) {
  return db.query.callRecordings.findFirst({ where: eq(callRecordings.callId, callId), orderBy: desc(callRecordings.createdAt) });
}

export async function insertRecording(db: Database, row: CallRecordingRow): Promise<void> {
  await db.insert(callRecordings).values(row);
}
