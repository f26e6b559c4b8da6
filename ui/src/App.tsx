// Shell: the header and the client-side routes of API.md, with role-based landing.
import { useEffect } from "preact/hooks";
import { Header } from "./components/Header.tsx";
import { homeFor, mayOpen } from "./lib/roles.ts";
import { navigate, usePath } from "./lib/router.tsx";
import { useSession } from "./lib/session.ts";
import { Agent } from "./pages/agent/Agent.tsx";
import { Customer } from "./pages/customer/Customer.tsx";
import { Login } from "./pages/Login.tsx";
import { Manager } from "./pages/manager/Manager.tsx";
import { Verify } from "./pages/verify/Verify.tsx";

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, true), [to]);
  return null;
}

export function App() {
  const path = usePath();
  const session = useSession();

  let page;
  if (path === "/verify") page = <Verify />;
  else if (!session)
    page = path === "/login" ? <Login /> : <Redirect to={`/login${path !== "/" ? `?next=${encodeURIComponent(path)}` : ""}`} />;
  else if (!mayOpen(session.user.role, path)) page = <Redirect to={homeFor(session.user.role)} />;
  else if (path === "/customer") page = <Customer session={session} />;
  else if (path === "/agent") page = <Agent session={session} />;
  else page = <Manager />;

  const wide = path === "/agent" || path === "/manager";
  return (
    <>
      <Header session={session} path={path} />
      <main id="main" class={wide ? "wide" : "narrow"} tabIndex={-1}>
        {page}
      </main>
    </>
  );
}
