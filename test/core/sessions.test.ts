import { describe, expect, it } from "vitest";
import { roomSessionsOf } from "../../worker/core/queue/index.ts";
import { sessionRefusal } from "../../worker/core/sessions.ts";
import { emptyQueue, type Call } from "../../worker/core/queue/types.ts";

describe("session refusal", () => {
  const live = { disabledAt: null, tokenEpoch: 2, revoked: false };
  it("keeps a token of the current epoch, neither revoked nor of a disabled account", () => {
    expect(sessionRefusal(live, { epoch: 2 })).toBeNull();
  });
  it("refuses unknown users, disabled accounts, signed-out tokens and tokens of an older epoch", () => {
    expect(sessionRefusal(null, { epoch: 0 })).toMatch(/no longer exists/);
    expect(sessionRefusal({ ...live, disabledAt: 1 }, { epoch: 2 })).toMatch(/disabled/);
    expect(sessionRefusal({ ...live, revoked: true }, { epoch: 2 })).toMatch(/revoked/);
    expect(sessionRefusal(live, { epoch: 1 })).toMatch(/revoked/);
  });
});

describe("room sessions of a user", () => {
  it("are the sessions of their live calls, as agent or customer", () => {
    const calls = new Map<string, Call>();
    const call = (id: string, fields: Partial<Call>) =>
      calls.set(id, { id, sessionId: null, assignedAgentId: null, customerId: "c0", ...fields } as Call);
    call("a", { sessionId: "s-a", assignedAgentId: "u1" });
    call("b", { sessionId: "s-b", customerId: "u1" });
    call("c", { sessionId: null, assignedAgentId: "u1" });
    call("d", { sessionId: "s-d", assignedAgentId: "u2" });
    const state = { ...emptyQueue(), calls };
    expect(roomSessionsOf(state, "u1").sort()).toEqual(["s-a", "s-b"]);
    expect(roomSessionsOf(state, "u3")).toEqual([]);
  });
});
