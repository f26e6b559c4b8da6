// Local demo data (API.md "Local demo data"): created by `npm start` and by the tests, never
// in production. Idempotent: running it again changes nothing.
import type { Role } from "../auth/permissions.ts";
import { hashPassword } from "../auth/password.ts";
import { database } from "../db/client.ts";
import { insertTenant } from "../db/tenants.ts";
import { saveQueue, saveSkills } from "../db/routing.ts";
import { insertUser, userByEmail } from "../db/users.ts";
import type { RoutingQueue, Skills } from "../core/queue/types.ts";

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

/** The demo desk's routing (issue 17): a German desk that German calls try first, relaxed after
 * a minute to any German speaker and after two to anyone; everything else is the default
 * queue. Every agent speaks English; Agent 1 also German, Agent 3 reviews residence permits, Agent 4
 * speaks French. A manager sees the skills on the agents panel and the German desk beside the
 * default queue on the queues panel. */
export const DEMO_QUEUES: RoutingQueue[] = [
  {
    id: "demo-queue-german",
    name: "German desk",
    position: 0,
    requires: ["lang:de"],
    serviceLevelSeconds: 30,
    relaxAfterSeconds: 60,
    relaxToAnyAgent: true,
    workingHours: null,
  },
];
export const DEMO_SKILLS: Record<string, Skills> = {
  "agent1@demo.test": { "lang:de": 3, "lang:en": 3 },
  "agent2@demo.test": { "lang:en": 3 },
  "agent3@demo.test": { "lang:en": 2, "doc:residence_permit": 2 },
  "agent4@demo.test": { "lang:en": 2, "lang:fr": 3 },
  "agent5@demo.test": { "lang:en": 1 },
};

/** The demo routing, where the tenant has none yet (a manager's later changes stay). */
async function seedRouting(db: ReturnType<typeof database>, now: number) {
  for (const queue of DEMO_QUEUES) await saveQueue(db, "demo", { ...queue, createdAt: now, updatedAt: now }, { ifAbsent: true });
  for (const [email, skills] of Object.entries(DEMO_SKILLS)) {
    const user = await userByEmail(db, email);
    if (user) await saveSkills(db, "demo", user.id, skills, now, { ifAbsent: true });
  }
}

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
  await seedRouting(db, Date.now());
  return added;
}
