import type { Session } from "../lib/session.ts";

export function Manager({ session }: { session: Session }) {
  return (
    <section class="card">
      <h1>Operations</h1>
      <p>Welcome, {session.user.name}. Queues, agents and service levels appear here.</p>
    </section>
  );
}
