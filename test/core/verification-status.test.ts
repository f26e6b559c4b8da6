import { describe, expect, it } from "vitest";
import { isSettled } from "../../worker/core/verification-status.ts";
import { VERIFICATION_STATUSES } from "../../worker/schemas/verifications.ts";

describe("settled verifications", () => {
  it("are the decided and the cancelled ones; needs_review and everything earlier can be queued", () => {
    expect(VERIFICATION_STATUSES.filter(isSettled)).toEqual(["approved", "rejected", "cancelled"]);
    expect(isSettled(null)).toBe(false);
  });
});
