// The top bar: brand, the pages this role can use, the language switch, the signed-in user and
// sign-out.
import { useState } from "preact/hooks";
import { LOCALES, setLocale, useI18n, type Locale } from "../lib/i18n.ts";
import { pagesFor } from "../lib/roles.ts";
import type { Session } from "../lib/session.ts";
import { signOut } from "../lib/sign-out.ts";

const ROLE_LABEL = { kyc_agent: "roleAgent", manager: "roleManager", it_staff: "roleIt", customer: "roleCustomer" } as const;

export function Header({ session, path }: { session: Session | null; path: string }) {
  const { t, locale } = useI18n();
  // One sign-out at a time: a second click while the server answers would do nothing useful.
  const [signingOut, setSigningOut] = useState(false);
  const links = [...(session ? pagesFor(session.user.role) : []), { href: "/verify", label: "navVerifyReceipt" as const }];
  const role = session?.user.role;
  return (
    <header class="topbar">
      <a class="skip" href="#main">
        {t.skipToContent}
      </a>
      <a href="/" class="brand">
        VerifyID <span>Edge</span>
      </a>
      <nav aria-label={t.mainNav}>
        {links.map((l) => (
          <a key={l.href} href={l.href} aria-current={path === l.href ? "page" : undefined}>
            {t[l.label]}
          </a>
        ))}
        {role !== "customer" && <a href="/docs">{t.navApi}</a>}
      </nav>
      <label class="language">
        <span class="sr-only">{t.languageLabel}</span>
        <select value={locale} onChange={(e) => setLocale(e.currentTarget.value as Locale)} data-testid="language">
          {Object.entries(LOCALES).map(([code, messages]) => (
            <option key={code} value={code} lang={code}>
              {messages.languageName}
            </option>
          ))}
        </select>
      </label>
      {session ? (
        <div class="who">
          <span>
            {session.user.name}{" "}
            <span class="muted role">
              · {role && Object.hasOwn(ROLE_LABEL, role) ? t[ROLE_LABEL[role as keyof typeof ROLE_LABEL]] : role}
            </span>
          </span>
          <button
            class="link"
            disabled={signingOut}
            onClick={() => {
              setSigningOut(true);
              void signOut().finally(() => setSigningOut(false));
            }}
          >
            {signingOut ? t.signingOut : t.signOut}
          </button>
        </div>
      ) : (
        path !== "/login" && (
          <div class="who">
            <a href="/login">{t.signIn}</a>
          </div>
        )
      )}
    </header>
  );
}
