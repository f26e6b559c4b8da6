// The dashboard's routing decision (ui/src/lib/route-decision.ts): every deep link, signed out
// and as each role, lands where issue 13 says: sign-in and back, the role's home, or a page
// that says it is not for this role.
import { describe, expect, it } from "vitest";
import { afterLogin, decideRoute, loginUrlFor } from "../../ui/src/lib/route-decision.ts";

const PAGES = ["/customer", "/agent", "/manager"];

describe("signed out", () => {
  it("sends `/` to the sign-in form, and every deep link to sign-in and back", () => {
    expect(decideRoute("/", "", null)).toEqual({ kind: "redirect", to: "/login" });
    for (const path of PAGES)
      expect(decideRoute(path, "", null)).toEqual({ kind: "redirect", to: `/login?next=${encodeURIComponent(path)}` });
    expect(decideRoute("/customer", "?x=1", null)).toEqual({ kind: "redirect", to: `/login?next=${encodeURIComponent("/customer?x=1")}` });
    expect(decideRoute("/login", "?next=%2Fagent", null)).toEqual({ kind: "page", path: "/login" });
    expect(decideRoute("/nowhere", "", null)).toEqual({ kind: "redirect", to: "/login" });
  });

  it("opens the public receipt check without signing in", () => {
    expect(decideRoute("/verify", "?hash=ab", null)).toEqual({ kind: "page", path: "/verify" });
  });
});

describe("signed in", () => {
  it("sends `/` and `/login` to the role's home, or to `next` when the role may open it", () => {
    expect(decideRoute("/", "", "customer")).toEqual({ kind: "redirect", to: "/customer" });
    expect(decideRoute("/", "", "kyc_agent")).toEqual({ kind: "redirect", to: "/agent" });
    expect(decideRoute("/", "", "manager")).toEqual({ kind: "redirect", to: "/manager" });
    expect(decideRoute("/", "", "it_staff")).toEqual({ kind: "redirect", to: "/manager" });
    expect(decideRoute("/login", "", "kyc_agent")).toEqual({ kind: "redirect", to: "/agent" });
    expect(decideRoute("/login", `?next=${encodeURIComponent("/agent")}`, "manager")).toEqual({ kind: "redirect", to: "/agent" });
    expect(decideRoute("/login", `?next=${encodeURIComponent("/manager")}`, "customer")).toEqual({ kind: "redirect", to: "/customer" });
  });

  it("says so on a page the role does not work in, and on a page that does not exist", () => {
    expect(decideRoute("/manager", "", "customer")).toEqual({ kind: "forbidden", home: "/customer" });
    expect(decideRoute("/agent", "", "it_staff")).toEqual({ kind: "forbidden", home: "/manager" });
    expect(decideRoute("/customer", "", "kyc_agent")).toEqual({ kind: "forbidden", home: "/agent" });
    expect(decideRoute("/agent", "", "manager")).toEqual({ kind: "page", path: "/agent" });
    expect(decideRoute("/nowhere", "", "manager")).toEqual({ kind: "not-found", home: "/manager" });
  });
});

describe("after sign-in", () => {
  it("follows `next` only inside this app, to a page the role may open", () => {
    expect(afterLogin("customer", "/customer?step=2")).toBe("/customer?step=2");
    expect(afterLogin("customer", null)).toBe("/customer");
    expect(afterLogin("customer", "//evil.example/customer")).toBe("/customer");
    expect(afterLogin("customer", "https://evil.example/customer")).toBe("/customer");
    expect(afterLogin("kyc_agent", "/manager")).toBe("/agent");
  });

  it("never loops back to the sign-in form", () => {
    expect(loginUrlFor("/")).toBe("/login");
    expect(loginUrlFor("/login")).toBe("/login");
  });
});
