// The tenant's most recent calls from D1, newest first, in the wire shape.
import { desc, eq } from "drizzle-orm";
import { database } from "../db/client.ts";
import { videoCalls } from "../db/schema.ts";
import { recordedView } from "../calls/recorded.ts";
import type { CallView } from "../schemas/messages.ts";

export async function recentCalls(d1: D1Database, tenantId: string, limit: number): Promise<CallView[]> {
  const rows = await database(d1).query.videoCalls.findMany({
    where: eq(videoCalls.tenantId, tenantId),
    orderBy: desc(videoCalls.createdAt),
    limit,
  });
  return rows.map(recordedView);
}
