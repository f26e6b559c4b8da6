// A fresh tenant per test: its own QueueCoordinator, agents and customers, so tests never
// share queue state. Users get real tokens from the same signer the login route uses
// (password hashing is skipped only because these users never log in).
import { env } from "cloudflare:workers";
import type { Role } from "../../../worker/auth/permissions.ts";
import { DUMMY_HASH } from "../../../worker/auth/password.ts";
import { signToken } from "../../../worker/auth/tokens.ts";
import { database } from "../../../worker/db/client.ts";
import { tenants } from "../../../worker/db/schema.ts";
import { insertUser } from "../../../worker/db/users.ts";

export type TestUser = { id: string; email: string; name: string; role: Role; token: string; tenantId: string };

export type TestTenant = {
  id: string;
  manager: TestUser;
  it: TestUser;
  agents: TestUser[];
  customers: TestUser[];
};

async function addUser(tenantId: string, role: Role, label: string): Promise<TestUser> {
  const email = `${label}-${crypto.randomUUID().slice(0, 8)}@${tenantId}.test`;
  const name = `${label[0]!.toUpperCase()}${label.slice(1)} ${tenantId.slice(-4)}`;
  const row = await insertUser(database(env.DB), { tenantId, email, name, role, passwordHash: DUMMY_HASH });
  if (!row) throw new Error(`could not create ${email}`);
  const { token } = await signToken({ userId: row.id, tenantId, role, name }, env.JWT_SECRET, 3600);
  return { id: row.id, email, name, role, token, tenantId };
}

/** Creates a tenant with a manager, an IT user, `agents` agents and `customers` customers. */
export async function newTenant(counts: { agents?: number; customers?: number } = {}): Promise<TestTenant> {
  const id = `t-${crypto.randomUUID().slice(0, 12)}`;
  await database(env.DB)
    .insert(tenants)
    .values({ id, slug: id, name: `Tenant ${id}`, createdAt: Date.now() });
  const agents: TestUser[] = [];
  for (let i = 0; i < (counts.agents ?? 2); i++) agents.push(await addUser(id, "kyc_agent", `agent${i + 1}`));
  const customers: TestUser[] = [];
  for (let i = 0; i < (counts.customers ?? 2); i++) customers.push(await addUser(id, "customer", `customer${i + 1}`));
  return { id, manager: await addUser(id, "manager", "manager"), it: await addUser(id, "it_staff", "it"), agents, customers };
}
