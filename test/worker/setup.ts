// Runs before each test file inside workerd. Migrations and demo data are idempotent, so
// running them again for every file is safe.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { seedDemoData } from "../../worker/demo/seed.ts";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
await seedDemoData(env.DB);
