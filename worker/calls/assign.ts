// A manager's assignment of a call: to a named agent of the tenant, or to whoever the scorer picks.
import type { Principal } from "../auth/principal.ts";
import { can } from "../auth/permissions.ts";
import { database } from "../db/client.ts";
import { userInTenant } from "../db/users.ts";
import { conflict, notFound } from "../http/errors.ts";
import { coordinatorFor, unwrap } from "./coordinator.ts";

/** Assigns the call; the answer is API.md's Assignment. 404 for an unknown agent, 409 for a user
 * who cannot take calls. */
export async function assignCall(env: Env, who: Principal, callId: string, agentId: string | undefined) {
  let agent: { id: string; name: string } | undefined;
  if (agentId) {
    const user = await userInTenant(database(env.DB), who.tenantId, agentId);
    if (!user) throw notFound("Agent");
    if (!can(user.role, "video_calls.accept")) throw conflict("not_an_agent", "That user cannot take calls.", { role: user.role });
    agent = { id: user.id, name: user.name };
  }
  const call = unwrap(await coordinatorFor(env, who.tenantId).assign({ callId, ...(agent ? { agent } : {}) }));
  return { assigned_agent_id: call.assigned_agent_id!, session_id: call.session_id!, call };
}
