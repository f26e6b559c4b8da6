// The top bar: brand, the pages this role can use, the signed-in user and sign-out.
import { useState } from "preact/hooks";
import type { Session } from "../lib/session.ts";
import { pagesFor } from "../lib/roles.ts";
import { signOut } from "../lib/sign-out.ts";

const ROLE_LABEL: Record<string, string> = {
  kyc_agent: "KYC agent",
  manager: "Manager",
  it_staff: "IT staff",
  customer: "Customer",
};

export function Header({ session, path }: { session: Session | null; path: string }) {
  // One sign-out at a time: a second click while the server answers would do nothing useful.
  const [signingOut, setSigningOut] = useState(false);
  const links = [...(session ? pagesFor(session.user.role) : []), { href: "/verify", label: "Verify a receipt" }];
  return (
    <header class="topbar">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <a href="/" class="brand">
        VerifyID <span>Edge</span>
      </a>
      <nav aria-label="Main">
        {links.map((l) => (
          <a key={l.href} href={l.href} aria-current={path === l.href ? "page" : undefined}>
            {l.label}
          </a>
        ))}
        {session?.user.role !== "customer" && <a href="/docs">API</a>}
      </nav>
      {session ? (
        <div class="who">
          <span>
            {session.user.name} <span class="muted role">· {ROLE_LABEL[session.user.role] ?? session.user.role}</span>
          </span>
          <button
            class="link"
            disabled={signingOut}
            onClick={() => {
              setSigningOut(true);
              void signOut().finally(() => setSigningOut(false));
            }}
          >
            {signingOut ? "Signing out…" : "Sign out"}
          </button>
        </div>
      ) : (
        path !== "/login" && (
          <div class="who">
            <a href="/login">Sign in</a>
          </div>
        )
      )}
    </header>
  );
}
