// Which pages each role works in (the API enforces the permissions; this only keeps people
// out of pages that would answer them with 403s).
export type Page = { href: string; label: string };

const PAGES: Record<string, Page[]> = {
  customer: [{ href: "/customer", label: "My verification" }],
  kyc_agent: [{ href: "/agent", label: "Desk" }],
  manager: [
    { href: "/manager", label: "Operations" },
    { href: "/agent", label: "Desk" },
  ],
  it_staff: [{ href: "/manager", label: "Operations" }],
};

export function pagesFor(role: string): Page[] {
  return PAGES[role] ?? [];
}

export function mayOpen(role: string, path: string): boolean {
  return pagesFor(role).some((p) => p.href === path);
}

/** The page each role lands on after login. */
export function homeFor(role: string): string {
  return pagesFor(role)[0]?.href ?? "/verify";
}
