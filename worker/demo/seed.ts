// Local demo data (API.md "Local demo data"): created by `npm start` and by the tests, never
// in production. Idempotent: running it again changes nothing.
import type { Role } from "../auth/permissions.ts";
import { hashPassword } from "../auth/password.ts";
import { database } from "../db/client.ts";
import { insertTenant } from "../db/tenants.ts";
import { insertUser, userByEmail } from "../db/users.ts";

export const DEMO_PASSWORD = "demo-password";

type DemoUser = { email: string; name: string; role: Role };
type DemoTenant = { id: string; slug: string; name: string; users: DemoUser[] };

const numbered = (count: number, prefix: string, domain: string, role: Role, label: string): DemoUser[] =>
  Array.from({ length: count }, (_, i) => ({
    email: `${prefix}${i + 1}@${domain}`,
    name: `${label} ${i + 1}`,
    role,
  }));

export const DEMO_TENANTS: DemoTenant[] = [
  {
    id: "demo",
    slug: "demo",
    name: "Demo Bank",
    users: [
      { email: "manager@demo.test", name: "Maria Manager", role: "manager" },
      { email: "it@demo.test", name: "Ivan IT", role: "it_staff" },
      ...numbered(5, "agent", "demo.test", "kyc_agent", "Agent"),
      ...numbered(5, "customer", "demo.test", "customer", "Customer"),
    ],
  },
  {
    id: "acme",
    slug: "acme",
    name: "Acme Payments",
    users: [
      { email: "manager@acme.test", name: "Acme Manager", role: "manager" },
      { email: "agent1@acme.test", name: "Acme Agent 1", role: "kyc_agent" },
      { email: "customer1@acme.test", name: "Acme Customer 1", role: "customer" },
    ],
  },
];

/** Creates the demo tenants and users that do not exist yet; returns how many users it added. */
export async function seedDemoData(d1: D1Database): Promise<number> {
  const db = database(d1);
  let added = 0;
  for (const tenant of DEMO_TENANTS) {
    await insertTenant(db, { id: tenant.id, slug: tenant.slug, name: tenant.name }, Date.now());
    for (const user of tenant.users) {
      if (await userByEmail(db, user.email)) continue;
      const passwordHash = await hashPassword(DEMO_PASSWORD);
      if (await insertUser(db, { tenantId: tenant.id, ...user, passwordHash })) added++;
    }
  }
  return added;
}
