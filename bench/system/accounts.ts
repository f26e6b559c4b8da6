// The bench's people in tenant `demo`: the demo manager, and as many agents and customers as a
// scenario needs, created through the API (`POST /users` as the manager) and signed in once.
import { api, inParallel, prepareVerification, request } from "../lib/api.ts";

export type Account = { id: string; email: string; token: string };

const PASSWORD = "bench-password-0123";

export class Accounts {
  private readonly baseUrl: string;
  private managerAccount: Account | null = null;
  private made: Record<"kyc_agent" | "customer", Account[]> = { kyc_agent: [], customer: [] };

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  private async login(email: string, password: string): Promise<Account> {
    const { token, user } = await api(this.baseUrl, "/auth/login", { json: { email, password } });
    return { id: user.id as string, email, token: token as string };
  }

  /** manager@demo.test (API.md demo data). */
  async manager(): Promise<Account> {
    this.managerAccount ??= await this.login("manager@demo.test", "demo-password");
    return this.managerAccount;
  }

  /** `n` bench agents (bench-agent-<i>@demo.test), created when missing. */
  agents(n: number): Promise<Account[]> {
    return this.ensure("kyc_agent", "bench-agent", n);
  }

  /** `n` bench customers (bench-customer-<i>@demo.test). */
  customers(n: number): Promise<Account[]> {
    return this.ensure("customer", "bench-customer", n);
  }

  private async ensure(role: "kyc_agent" | "customer", prefix: string, n: number): Promise<Account[]> {
    const have = this.made[role];
    if (have.length >= n) return have.slice(0, n);
    const manager = await this.manager();
    const existing = new Set<string>(
      ((await api(this.baseUrl, `/users?role=${role}`, { token: manager.token })).items as { email: string }[]).map((u) => u.email),
    );
    const wanted = Array.from({ length: n - have.length }, (_, i) => `${prefix}-${have.length + i + 1}@demo.test`);
    // Each creation and sign-in hashes a password (PBKDF2, 100,000 rounds): a few at a time.
    const accounts = await inParallel(wanted, 4, async (email, i) => {
      if (!existing.has(email)) {
        await api(this.baseUrl, "/users", {
          token: manager.token,
          json: { email, name: `Bench ${role === "kyc_agent" ? "Agent" : "Customer"} ${have.length + i + 1}`, role, password: PASSWORD },
        });
      }
      return this.login(email, PASSWORD);
    });
    have.push(...accounts);
    return have.slice(0, n);
  }
}

/** Cancels every pending and active call of the tenant (as the manager), so the next scenario
 * starts from an empty queue and with every agent free. */
export async function clearQueue(baseUrl: string, managerToken: string, maxRounds = 1000): Promise<number> {
  const cancel = (calls: { id: string }[]) =>
    inParallel(calls, 8, (c) => request(baseUrl, `/video-calls/${c.id}/cancel`, { token: managerToken, method: "POST" }));
  const { active_calls } = await api(baseUrl, "/dashboard/active-calls", { token: managerToken });
  await cancel(active_calls);
  let cancelled = active_calls.length as number;
  for (let round = 0; round < maxRounds; round++) {
    const { pending_calls } = await api(baseUrl, "/video-calls/pending?limit=100", { token: managerToken });
    if (!pending_calls.length) break;
    await cancel(pending_calls);
    cancelled += pending_calls.length;
  }
  return cancelled;
}

/** `n` prepared verifications (created, one document each), spread over `customers`; the i-th
 * with `requirements[i]` when given. */
export async function prepareVerifications(
  baseUrl: string,
  customers: Account[],
  n: number,
  requirements?: Array<Array<{ skill: string; level: number }>>,
) {
  return inParallel(
    Array.from({ length: n }, (_, i) => customers[i % customers.length]!),
    16,
    async (c, i) => ({
      verificationId: await prepareVerification(baseUrl, c.token, requirements?.[i]),
      token: c.token,
    }),
  );
}
