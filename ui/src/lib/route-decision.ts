// What the shell shows for a path, given who is signed in: pure, so every deep link's outcome
// is tested without a browser (test/core/route-decision.test.ts) and the shell only renders it.
import { homeFor, mayOpen } from "./roles.ts";

/** The client-side routes of API.md. */
export const APP_PATHS = ["/login", "/customer", "/agent", "/manager", "/verify"] as const;

export type RouteDecision =
  /** Render the page of this path. */
  | { kind: "page"; path: string }
  /** Replace the URL with `to` (no history entry). */
  | { kind: "redirect"; to: string }
  /** Signed in, but this role does not work in this page: say so, with a way home. */
  | { kind: "forbidden"; home: string }
  /** No such page. */
  | { kind: "not-found"; home: string };

/** The sign-in URL that comes back to `path` afterwards (none for `/`, which means "home"). */
export function loginUrlFor(path: string, search = ""): string {
  const target = path + search;
  return path === "/" || path === "/login" ? "/login" : `/login?next=${encodeURIComponent(target)}`;
}

/** Where to go after sign-in: `next` when this role may open it, else the role's home. */
export function afterLogin(role: string, next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//")) return homeFor(role);
  const path = new URL(next, "http://app.invalid").pathname;
  return mayOpen(role, path) ? next : homeFor(role);
}

export function decideRoute(path: string, search: string, role: string | null): RouteDecision {
  if (path === "/verify") return { kind: "page", path };
  const known = path === "/" || (APP_PATHS as readonly string[]).includes(path);
  if (!role) {
    if (path === "/login") return { kind: "page", path };
    return { kind: "redirect", to: known ? loginUrlFor(path, search) : "/login" };
  }
  if (path === "/login") return { kind: "redirect", to: afterLogin(role, new URLSearchParams(search).get("next")) };
  if (path === "/") return { kind: "redirect", to: homeFor(role) };
  if (!known) return { kind: "not-found", home: homeFor(role) };
  if (!mayOpen(role, path)) return { kind: "forbidden", home: homeFor(role) };
  return { kind: "page", path };
}
