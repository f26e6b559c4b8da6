import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema.ts";
import { perObject } from "../per-object.ts";

const handle = (d1: D1Database) => drizzle(d1, { schema });
export type Database = ReturnType<typeof handle>;

/** A drizzle handle over the D1 binding. Building one walks the whole schema's relations
 * (drizzle's relational config); a binding stays the same object for the isolate's life, so each
 * gets one handle, not one per request. */
export const database: (d1: D1Database) => Database = perObject(handle);

/** A drizzle query as a plain D1 statement, for a D1 batch that also carries raw statements
 * (drizzle's own batch takes no parameterised raw SQL). Drizzle's batch does the same inside. */
export function toStatement(d1: D1Database, query: { toSQL(): { sql: string; params: unknown[] } }): D1PreparedStatement {
  const { sql, params } = query.toSQL();
  return d1.prepare(sql).bind(...params);
}

/** One round trip to D1 that reads no table, for the health check. Raw SQL: there is no table
 * for drizzle to build from. */
export async function pingDatabase(d1: D1Database): Promise<void> {
  await d1.prepare("SELECT 1").first();
}
