export function Verify() {
  return (
    <section class="card">
      <h1>Verify a document receipt</h1>
      <p>Receipts from the tamper-evident audit log can be checked here.</p>
    </section>
  );
}
