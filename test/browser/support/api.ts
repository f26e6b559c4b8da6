// The API as a test's own client (Node fetch), for setting the scene around a browser journey
// and cleaning up after it; the journeys themselves go through the UI.
import { passportPng } from "./files.ts";

export type Json = Record<string, any>;

export class Api {
  readonly baseUrl: string;
  private tokens = new Map<string, Promise<string>>();

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  /** A demo account's token (password demo-password), cached per email. */
  token(email: string): Promise<string> {
    let token = this.tokens.get(email);
    if (!token) {
      token = this.call("/auth/login", { json: { email, password: "demo-password" } }).then((body) => body.token as string);
      this.tokens.set(email, token);
    }
    return token;
  }

  /** /api/v1<path> as `as` (an email), JSON in and out; throws on any non-2xx answer. */
  async call(path: string, init: { as?: string; method?: string; json?: unknown; body?: FormData } = {}): Promise<Json> {
    const headers = new Headers();
    if (init.as) headers.set("Authorization", `Bearer ${await this.token(init.as)}`);
    let body: BodyInit | undefined = init.body;
    if (init.json !== undefined) {
      headers.set("Content-Type", "application/json");
      body = JSON.stringify(init.json);
    }
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body });
    const text = await res.text();
    if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} → ${res.status} ${text}`);
    return text ? (JSON.parse(text) as Json) : {};
  }

  /** A new customer of tenant `demo` (password demo-password), with no verification yet: a
   * journey that must start from the first step, whatever other files did to the demo customers. */
  async newCustomer(label: string, manager = "manager@demo.test"): Promise<string> {
    const email = `${label}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}@demo.test`;
    await this.call("/users", { as: manager, json: { email, name: `Customer ${label}`, role: "customer", password: "demo-password" } });
    return email;
  }

  /** A customer's verification with one uploaded passport scan, not yet submitted. */
  async verificationWithPassport(customer: string, name: string): Promise<{ id: string; file: Buffer; document: Json }> {
    const { id } = await this.call("/verifications", {
      as: customer,
      json: { user_info: { name, email: customer, date_of_birth: "1990-01-31" } },
    });
    const file = passportPng();
    const form = new FormData();
    form.set("doc_type", "passport");
    form.set("file", new File([file], "passport.png", { type: "image/png" }));
    const document = await this.call(`/verifications/${id}/documents`, { as: customer, body: form });
    return { id, file, document };
  }

  /** Submits a verification; the answer carries its call id. */
  submit(customer: string, verificationId: string): Promise<Json> {
    return this.call(`/verifications/${verificationId}/submit`, { as: customer, method: "POST" });
  }

  /** Empties the tenant's queue so that the next offer is the test's own call. */
  async cancelPendingCalls(manager = "manager@demo.test") {
    const { pending_calls } = await this.call("/video-calls/pending?limit=100", { as: manager });
    for (const call of pending_calls as Json[]) await this.call(`/video-calls/${call.id}/cancel`, { as: manager, method: "POST" });
  }

  /** Leaves an agent as a test found them: their calls cancelled, the queue empty, offline. */
  async releaseAgent(agent: string, manager = "manager@demo.test") {
    const { your_active_calls } = await this.call("/video-calls/pending", { as: agent });
    for (const call of your_active_calls as Json[]) await this.call(`/video-calls/${call.id}/cancel`, { as: manager, method: "POST" });
    await this.cancelPendingCalls(manager);
    await this.setAgentStatus(agent, "offline");
  }

  setAgentStatus(agent: string, status: "online" | "offline" | "busy" | "away") {
    return this.call("/video-calls/agents/status", { as: agent, json: { status } });
  }
}
