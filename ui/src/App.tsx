// Shell: header with the signed-in user, and the client-side routes of API.md.
import { useEffect } from "preact/hooks";
import { Agent } from "./pages/Agent.tsx";
import { Customer } from "./pages/Customer.tsx";
import { Login } from "./pages/Login.tsx";
import { Manager } from "./pages/Manager.tsx";
import { Verify } from "./pages/Verify.tsx";
import { Link, navigate, usePath } from "./lib/router.tsx";
import { homeFor, setSession, useSession, type Session } from "./lib/session.ts";

const ROLE_LABEL: Record<string, string> = {
  kyc_agent: "KYC agent",
  manager: "Manager",
  it_staff: "IT staff",
  customer: "Customer",
};

function Header({ session }: { session: Session | null }) {
  return (
    <header class="topbar">
      <Link href="/" class="brand">
        VerifyID <span>Edge</span>
      </Link>
      <nav>
        <Link href="/verify">Verify a receipt</Link>
        <a href="/docs">API</a>
        {session && (
          <span class="who">
            {session.user.name} · {ROLE_LABEL[session.user.role] ?? session.user.role}
            <button
              class="link"
              onClick={() => {
                setSession(null);
                navigate("/login");
              }}
            >
              Sign out
            </button>
          </span>
        )}
      </nav>
    </header>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, true), [to]);
  return null;
}

export function App() {
  const path = usePath();
  const session = useSession();

  let page;
  if (path === "/verify") page = <Verify />;
  else if (!session) page = path === "/login" ? <Login /> : <Redirect to="/login" />;
  else if (path === "/customer") page = <Customer session={session} />;
  else if (path === "/agent") page = <Agent session={session} />;
  else if (path === "/manager") page = <Manager session={session} />;
  else page = <Redirect to={homeFor(session.user.role)} />;

  return (
    <>
      <Header session={session} />
      <main>{page}</main>
    </>
  );
}
