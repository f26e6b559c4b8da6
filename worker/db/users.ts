// User records. Lookups by id are always scoped by tenant (another tenant's user is "not found").
import { and, asc, eq, sql } from "drizzle-orm";
import type { Role } from "../auth/permissions.ts";
import { newId } from "../ids.ts";
import type { User } from "../schemas/auth.ts";
import type { Database } from "./client.ts";
import { users } from "./schema.ts";

type UserRow = typeof users.$inferSelect;

export function publicUser(row: UserRow): User {
  return { id: row.id, email: row.email, name: row.name, role: row.role, tenant_id: row.tenantId, disabled: row.disabledAt !== null };
}

export async function userByEmail(db: Database, email: string) {
  return db.query.users.findFirst({ where: eq(users.email, email.toLowerCase()) });
}

export async function userInTenant(db: Database, tenantId: string, id: string): Promise<UserRow | undefined> {
  return db
    .select()
    .from(users)
    .where(and(eq(users.id, id), eq(users.tenantId, tenantId)))
    .get();
}

export async function listUsers(db: Database, tenantId: string, role?: Role) {
  return db.query.users.findMany({
    where: role ? and(eq(users.tenantId, tenantId), eq(users.role, role)) : eq(users.tenantId, tenantId),
    orderBy: asc(users.email),
  });
}

/** Inserts a user; returns null when the email is already taken. */
export async function insertUser(db: Database, input: { tenantId: string; email: string; name: string; role: Role; passwordHash: string }) {
  const row = {
    id: newId(),
    tenantId: input.tenantId,
    email: input.email.toLowerCase(),
    name: input.name,
    role: input.role,
    passwordHash: input.passwordHash,
    createdAt: Date.now(),
  };
  const inserted = await db.insert(users).values(row).onConflictDoNothing().returning();
  return inserted[0] ?? null;
}

/** Disables (or enables) a user of the tenant; disabling moves their token epoch on, so every
 * token they hold is refused at once. Returns the updated row, or null for an unknown user. */
export async function setUserDisabled(db: Database, tenantId: string, id: string, disabled: boolean) {
  const updated = await db
    .update(users)
    .set(disabled ? { disabledAt: Date.now(), tokenEpoch: sql`${users.tokenEpoch} + 1` } : { disabledAt: null })
    .where(and(eq(users.id, id), eq(users.tenantId, tenantId)))
    .returning();
  return updated[0] ?? null;
}
