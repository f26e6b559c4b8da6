// A video call as a route sees it: found live in the tenant's coordinator or, once finished,
// in D1, and only for staff of the tenant or the call's own customer.
import type { Context } from "hono";
import { principalOf } from "../auth/middleware.ts";
import { can, isStaff } from "../auth/permissions.ts";
import type { Principal } from "../auth/principal.ts";
import type { Actor } from "../core/queue/index.ts";
import type { AppEnv } from "../http/app-env.ts";
import { notFound } from "../http/errors.ts";
import type { CallView } from "../schemas/messages.ts";
import { coordinatorFor } from "./coordinator.ts";
import { recordedCall } from "./recorded.ts";

/** The caller as the queue rules see them: `manage` is the video_calls.manage permission. */
export const actorOf = (who: Principal): Actor => ({ userId: who.userId, manage: can(who.role, "video_calls.manage") });

/** A call the principal may see: staff of the tenant, or the call's customer. Live first, then D1. */
export async function callFor(c: Context<AppEnv>, id: string): Promise<CallView> {
  const who = principalOf(c);
  const live = await coordinatorFor(c.env, who.tenantId).getCall(id);
  const call = live ?? (await recordedCall(c.env.DB, who.tenantId, id));
  if (!call || (!isStaff(who.role) && call.customer_id !== who.userId)) throw notFound("Video call");
  return call;
}
