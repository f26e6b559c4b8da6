// Client traffic for the faults project: customers submitting verifications and agents deciding
// them, through the API, as fast as a few concurrent lanes allow. Every answer's status is
// counted, so a test can show that no fault behind the API reached a client as an error.
import { expect } from "vitest";
import { callJson, type Json } from "../../worker/support/api.ts";
import { uploadDocument } from "../../worker/support/factories.ts";
import { pngBytes } from "../../worker/support/files.ts";
import type { TestUser } from "../../worker/support/tenant.ts";

/** Answers by "route status", e.g. "submit 200". */
export type StatusTally = Map<string, number>;

export type Decided = { verificationId: string; callId: string; documentHash: string; decision: "approved" | "rejected" };

async function counted(tally: StatusTally, route: string, request: Promise<{ status: number; body: Json }>) {
  const answer = await request;
  const key = `${route} ${answer.status}`;
  tally.set(key, (tally.get(key) ?? 0) + 1);
  return answer;
}

/** One verification from creation to decision: the customer creates it, uploads a document
 * and submits it; the agent accepts, starts and completes the call the submit queued. */
export async function submitAndDecide(tally: StatusTally, customer: TestUser, agent: TestUser, n: number): Promise<Decided> {
  const created = await counted(
    tally,
    "create",
    callJson("/verifications", { token: customer.token, json: { user_info: { name: `Load ${n}` } } }),
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  const doc = await counted(tally, "upload", uploadDocument(customer.token, id, pngBytes(1024 + n)));
  expect(doc.status, JSON.stringify(doc.body)).toBe(201);
  const submitted = await counted(tally, "submit", callJson(`/verifications/${id}/submit`, { token: customer.token, method: "POST" }));
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
  const callId = submitted.body.call_id as string;
  for (const action of ["accept", "start"]) {
    const answer = await counted(tally, action, callJson(`/video-calls/${callId}/${action}`, { token: agent.token, method: "POST" }));
    expect(answer.status, `${action}: ${JSON.stringify(answer.body)}`).toBe(200);
  }
  const decision = n % 2 === 0 ? "approved" : "rejected";
  const completed = await counted(
    tally,
    "complete",
    callJson(`/video-calls/${callId}/complete`, {
      token: agent.token,
      json: { call_notes: `Load test call ${n}.`, verification_result: decision, reason_code: "LOAD_TEST", duration_seconds: 60 },
    }),
  );
  expect(completed.status, JSON.stringify(completed.body)).toBe(200);
  return { verificationId: id, callId, documentHash: doc.body.document_hash as string, decision };
}

/** Runs verifications `from` … `to - 1`, one lane per agent (so no agent ever holds two calls),
 * customers taken in turn. */
export async function decideRange(
  tally: StatusTally,
  lanes: { agents: TestUser[]; customers: TestUser[] },
  from: number,
  to: number,
): Promise<Decided[]> {
  const done: Decided[] = [];
  let next = from;
  await Promise.all(
    lanes.agents.map(async (agent) => {
      for (let n = next++; n < to; n = next++) {
        done.push(await submitAndDecide(tally, lanes.customers[n % lanes.customers.length]!, agent, n));
      }
    }),
  );
  return done;
}
