import type { Session } from "../lib/session.ts";

export function Agent({ session }: { session: Session }) {
  return (
    <section class="card">
      <h1>Agent desk</h1>
      <p>Welcome, {session.user.name}. The live call queue appears here.</p>
    </section>
  );
}
