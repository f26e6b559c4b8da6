import { describe, expect, it } from "vitest";
import { can, PERMISSIONS, ROLES } from "../../worker/auth/permissions.ts";

// API.md "Roles and permissions" (seed 001 §5.3), written out independently of the code.
const VIDEO_CALL_GRANTS = {
  kyc_agent: ["video_calls.view_queue", "video_calls.accept"],
  manager: ["video_calls.view_queue", "video_calls.accept", "video_calls.manage", "video_calls.analytics"],
  it_staff: ["video_calls.view_queue", "video_calls.manage", "video_calls.analytics"],
  customer: [],
} as const;

describe("video call permissions", () => {
  for (const role of ROLES) {
    for (const permission of PERMISSIONS.filter((p) => p.startsWith("video_calls.") && p !== "video_calls.own")) {
      const expected = (VIDEO_CALL_GRANTS[role] as readonly string[]).includes(permission);
      it(`${role} ${expected ? "has" : "lacks"} ${permission}`, () => {
        expect(can(role, permission)).toBe(expected);
      });
    }
  }
  it("lets only customers act on their own verifications and calls", () => {
    for (const role of ROLES) {
      expect(can(role, "verifications.own")).toBe(role === "customer");
      expect(can(role, "video_calls.own")).toBe(role === "customer");
    }
  });
  it("lets only managers manage users", () => {
    for (const role of ROLES) expect(can(role, "users.manage")).toBe(role === "manager");
  });
});
