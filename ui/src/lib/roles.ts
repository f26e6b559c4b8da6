// Which pages each role works in (the API enforces the permissions; this only keeps people
// out of pages that would answer them with 403s).
// `label` is the page's name in the message catalogue (ui/src/i18n).
export type Page = { href: string; label: "navMyVerification" | "navDesk" | "navOperations" };

const PAGES: Record<string, Page[]> = {
  customer: [{ href: "/customer", label: "navMyVerification" }],
  kyc_agent: [{ href: "/agent", label: "navDesk" }],
  manager: [
    { href: "/manager", label: "navOperations" },
    { href: "/agent", label: "navDesk" },
  ],
  it_staff: [{ href: "/manager", label: "navOperations" }],
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
