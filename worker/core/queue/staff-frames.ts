// Reading a frame from a coordinator socket (API.md "WebSocket messages"): which command it is,
// or the error it is answered with. Pure, so the object's shell only dispatches.
import { StaffClientMessage, type StaffServerMessage, type WaitingRoomMessage } from "../../schemas/messages.ts";

const COMMANDS = ["heartbeat", "status_update", "accept", "reject"];

export type StaffCommand = Exclude<StaffClientMessage, { type: "ping" }>;

export type FrameReading = { kind: "command"; command: StaffCommand } | { kind: "reply"; reply: StaffServerMessage | WaitingRoomMessage };

/** `frame` is the parsed JSON (null when it was not JSON); `who` says which socket sent it. */
export function readCoordinatorFrame(frame: unknown, who: { kind: "staff" | "waiting-room"; canAccept: boolean }): FrameReading {
  const type = typeof frame === "object" && frame && "type" in frame ? String((frame as { type: unknown }).type) : undefined;
  if (type === "ping") return { kind: "reply", reply: { type: "pong" } };
  if (who.kind === "waiting-room") {
    return { kind: "reply", reply: { type: "error", code: "unsupported_message", message: "The waiting room only answers ping." } };
  }
  const parsed = StaffClientMessage.safeParse(frame);
  if (!parsed.success) {
    const code = frame === null ? "invalid_json" : type && !COMMANDS.includes(type) ? "unknown_message_type" : "invalid_message";
    return {
      kind: "reply",
      reply: {
        type: "error",
        code,
        message: code === "invalid_json" ? "Messages must be JSON." : `Cannot handle this ${type ?? "message"}.`,
        ...(type ? { request_type: type } : {}),
      },
    };
  }
  const msg = parsed.data;
  if (msg.type === "ping") return { kind: "reply", reply: { type: "pong" } };
  if (!who.canAccept) {
    return { kind: "reply", reply: { type: "error", code: "forbidden", message: "Your role cannot take calls.", request_type: msg.type } };
  }
  return { kind: "command", command: msg };
}
