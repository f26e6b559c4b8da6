// Which screen the customer's page shows for a verification (ui/src/lib/verifications.ts):
// the server's record decides, and an erased verification ends on its own plain outcome.
import { describe, expect, it } from "vitest";
import { de } from "../../ui/src/i18n/de.ts";
import { en } from "../../ui/src/i18n/en.ts";
import { customerView, type Verification } from "../../ui/src/lib/verifications.ts";

const verification = (status: Verification["status"], call: Verification["call"] = null) => ({ status, call });
const callIn = (status: string) => ({ status }) as unknown as NonNullable<Verification["call"]>;

describe("the customer's screen", () => {
  it("follows the journey from details to the outcome", () => {
    expect(customerView(null)).toBe("details");
    expect(customerView(verification("created"))).toBe("documents");
    expect(customerView(verification("pending_video_call", callIn("waiting")))).toBe("waiting");
    expect(customerView(verification("pending_video_call", callIn("cancelled")))).toBe("left-queue");
    expect(customerView(verification("in_video_call", callIn("completed")))).toBe("deciding");
    for (const status of ["approved", "rejected", "needs_review", "cancelled"] as const)
      expect(customerView(verification(status))).toBe("outcome");
  });

  it("says an erased verification was erased, not that the customer left the queue", () => {
    expect(customerView(verification("erased"))).toBe("erased");
    expect(customerView(verification("erased", callIn("completed")))).toBe("erased");
    expect(en.erasedTitle).toBe("Your data for this verification was erased");
    expect(de.erasedTitle).toBe("Ihre Daten zu dieser Verifizierung wurden gelöscht");
  });
});
