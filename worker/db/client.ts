import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema.ts";

/** A drizzle handle over the D1 binding. */
export const database = (d1: D1Database) => drizzle(d1, { schema });
export type Database = ReturnType<typeof database>;
