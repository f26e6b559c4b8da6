// Shell: the header and the client-side routes of API.md (preact-iso), with role-based landing.
// Each page is its own chunk (`lazy`), so a customer's phone never downloads the staff pages.
// Who may see what is decided by the pure `decideRoute`; the shell only renders its answer.
import { lazy, LocationProvider, Route, Router, useLocation } from "preact-iso";
import { useEffect, useLayoutEffect, useState } from "preact/hooks";
import { Header } from "./components/Header.tsx";
import { OfflineBanner } from "./components/OfflineBanner.tsx";
import { useI18n } from "./lib/i18n.ts";
import { claimHostedSession, sessionTokenFromHash } from "./lib/hosted-session.ts";
import { decideRoute } from "./lib/route-decision.ts";
import { pagesFor } from "./lib/roles.ts";
import { useSession } from "./lib/session.ts";
import { Login } from "./pages/Login.tsx";

const Customer = lazy(() => import("./pages/customer/Customer.tsx").then((m) => m.Customer));
const Agent = lazy(() => import("./pages/agent/Agent.tsx").then((m) => m.Agent));
const Manager = lazy(() => import("./pages/manager/Manager.tsx").then((m) => m.Manager));
const Verify = lazy(() => import("./pages/verify/Verify.tsx").then((m) => m.Verify));

function Shell() {
  const { path, url, route } = useLocation();
  const session = useSession();
  const search = url.includes("?") ? url.slice(url.indexOf("?")) : "";
  const decision = decideRoute(path, search, session?.user.role ?? null);
  const redirectTo = decision.kind === "redirect" ? decision.to : null;
  // A layout effect: the old page never paints under the new URL.
  useLayoutEffect(() => {
    if (redirectTo) route(redirectTo, true);
  }, [redirectTo]);

  let page;
  if (decision.kind === "redirect") page = null;
  else if (decision.kind === "forbidden" || decision.kind === "not-found")
    page = <Elsewhere kind={decision.kind} home={decision.home} role={session!.user.role} />;
  else
    page = (
      <Router>
        <Route path="/login" component={Login} />
        <Route path="/verify" component={Verify} />
        <Route path="/customer" component={Customer} session={session!} />
        <Route path="/agent" component={Agent} session={session!} />
        <Route path="/manager" component={Manager} />
      </Router>
    );

  const wide = path === "/agent" || path === "/manager";
  return (
    <>
      <Header session={session} path={path} />
      <OfflineBanner />
      <main id="main" class={wide ? "wide" : "narrow"} tabIndex={-1}>
        {page}
      </main>
    </>
  );
}

/** A page this role does not work in, or no page at all: said plainly, with the way home. */
function Elsewhere({ kind, home, role }: { kind: "forbidden" | "not-found"; home: string; role: string }) {
  const { t } = useI18n();
  const homePage = pagesFor(role).find((p) => p.href === home);
  return (
    <section class="panel center" data-testid={kind}>
      <h1>{kind === "forbidden" ? t.forbiddenTitle : t.notFoundTitle}</h1>
      <p>{kind === "forbidden" ? t.forbiddenText : t.notFoundText}</p>
      <a class="button primary big" href={home}>
        {t.goTo(homePage ? t[homePage.label] : t.theStartPage)}
      </a>
    </section>
  );
}

/** A client app's hosted link (`#session=…`) is exchanged before any route is decided, so the
 * customer lands on their verification, never on the sign-in form. */
function HostedLink() {
  const { t } = useI18n();
  const [state, setState] = useState<{ kind: "none" | "opening" } | { kind: "failed"; message: string }>(() => ({
    kind: sessionTokenFromHash(location.hash) ? "opening" : "none",
  }));
  useEffect(() => {
    if (state.kind !== "opening") return;
    claimHostedSession()
      .then(() => setState({ kind: "none" }))
      .catch((err: unknown) => setState({ kind: "failed", message: err instanceof Error ? err.message : String(err) }));
  }, []);
  if (state.kind === "none") return <Shell />;
  return (
    <main id="main" class="narrow" tabIndex={-1}>
      <section class="panel center" data-testid="hosted-link" aria-live="polite">
        {state.kind !== "failed" ? (
          <p>{t.openingLink}</p>
        ) : (
          <>
            <h1>{t.linkFailedTitle}</h1>
            <p>{state.message}</p>
            <p class="muted">{t.linkFailedText}</p>
          </>
        )}
      </section>
    </main>
  );
}

export function App() {
  return (
    <LocationProvider>
      <HostedLink />
    </LocationProvider>
  );
}
