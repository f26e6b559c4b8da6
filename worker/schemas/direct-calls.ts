import { USER_STATUSES } from "../core/direct-calls.ts";
import { z } from "@hono/zod-openapi";
import { DirectCallView } from "./messages.ts";
import { Limit } from "./common.ts";

export const DirectCallSchema = DirectCallView.openapi("DirectCall");
export const UserStateSchema = z
  .object({ user_id: z.string(), status: z.enum(USER_STATUSES), last_seen: z.string().nullable() })
  .openapi("UserStatus");

export const StatusUpdate = z
  .object({ status: z.enum(["online", "busy", "offline"], { error: "status must be online, busy or offline" }) })
  .openapi("StatusUpdate");
export const InitiateRequest = z
  .object({ callee_id: z.string("callee_id is required").min(1, "callee_id is required").max(64) })
  .openapi("InitiateCall");
export const CallIdBody = z.object({ call_id: z.string("call_id is required").min(1, "call_id is required").max(64) }).openapi("CallId");
export const SignalRequest = z
  .object({
    call_id: z.string().min(1).max(64),
    signal: z
      .object({ type: z.enum(["offer", "answer", "ice"], { error: "signal.type must be offer, answer or ice" }) })
      .catchall(z.unknown())
      .refine((s) => JSON.stringify(s).length <= 64 * 1024, "signal must be at most 64 KiB"),
  })
  .openapi("Signal");
export const SignalsQuery = z.object({ call_id: z.string().min(1).max(64) });
export const HistoryQuery = z.object({ with: z.string().min(1).max(64).optional(), limit: Limit(50, 200) });
export const MissedList = z.object({ items: z.array(DirectCallSchema), unseen: z.number().int() }).openapi("MissedCalls");
