// Asking for a video call (API.md "Queue a verification"): a customer for their own
// verification (always urgent), or staff at a priority of their choosing. A verification not
// submitted yet gets the whole submission; a submitted one just joins the queue again.
import type { z } from "@hono/zod-openapi";
import type { Principal } from "../auth/principal.ts";
import { can, isStaff } from "../auth/permissions.ts";
import { requestedCallPriority, type PriorityWord } from "../core/priority.ts";
import { isClosed } from "../core/verification-status.ts";
import { database } from "../db/client.ts";
import { verificationFor } from "../db/verifications.ts";
import { ApiError, conflict, forbidden, notFound } from "../http/errors.ts";
import type { QueueRequest } from "../schemas/video-calls.ts";
import { enqueueVerification } from "../verifications/enqueue.ts";
import { submitVerification } from "../verifications/submit.ts";
import { unwrap } from "./coordinator.ts";

/** Queues the verification for a call; the answer is API.md's QueueResponse. */
export async function requestCall(env: Env, who: Principal, input: z.infer<typeof QueueRequest>) {
  const customer = !isStaff(who.role);
  if (!customer && !can(who.role, "video_calls.view_queue")) throw forbidden("video_calls.view_queue");
  const db = database(env.DB);
  const verification = await verificationFor(db, who, input.verification_id);
  if (!verification) throw notFound("Verification");
  if (isClosed(verification.status)) {
    throw conflict("verification_closed", `The verification is already ${verification.status}.`, { status: verification.status });
  }
  const priority = requestedCallPriority({
    customer,
    ...(input.priority ? { requested: input.priority } : {}),
    scored: verification.priority as PriorityWord | null,
  });
  if (!priority) throw new ApiError(403, "forbidden", "Only staff can choose a call's priority.", { priority: input.priority });
  if (verification.status === "created") {
    // Not submitted yet: the request is the trigger, so it gets the whole submission (documents
    // required, risk score, audit record), only at the requested priority.
    const submitted = await submitVerification(env, db, verification, customer || input.priority ? { priority } : {});
    return {
      call_id: submitted.call_id,
      status: "pending" as const,
      priority: submitted.priority,
      position_in_queue: submitted.position_in_queue,
      estimated_wait_seconds: submitted.estimated_wait_seconds,
    };
  }
  const call = unwrap(await enqueueVerification(env, db, verification, priority, verification.fraudScore));
  return {
    call_id: call.id,
    status: call.status,
    priority: call.priority,
    position_in_queue: call.position_in_queue ?? 0,
    estimated_wait_seconds: call.estimated_wait_seconds ?? 0,
  };
}
