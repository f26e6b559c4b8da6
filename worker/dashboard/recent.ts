// The tenant's most recent calls from D1, newest first, in the wire shape.
import { database } from "../db/client.ts";
import { recentVideoCalls } from "../db/video-calls.ts";
import { recordedView } from "../calls/recorded.ts";
import type { CallView } from "../schemas/messages.ts";

export async function recentCalls(d1: D1Database, tenantId: string, limit: number): Promise<CallView[]> {
  return (await recentVideoCalls(database(d1), tenantId, limit)).map(recordedView);
}
