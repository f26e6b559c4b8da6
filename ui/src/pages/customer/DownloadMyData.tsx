// "Download my data": the customer's export of their own verification (GET /verifications/{id}/
// export), saved as one JSON file. Its document links work for a few minutes only.
import { useState } from "preact/hooks";
import type { z } from "zod";
import type { VerificationExport } from "../../../../worker/schemas/lifecycle.ts";
import { ErrorNote } from "../../components/ErrorNote.tsx";
import { api } from "../../lib/api.ts";

export function DownloadMyData({ verificationId }: { verificationId: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function download() {
    setBusy(true);
    setError(null);
    try {
      const data = await api<z.infer<typeof VerificationExport>>(`/verifications/${verificationId}/export`);
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = `verification-${verificationId}.json`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="panel" aria-labelledby="my-data-title">
      <h2 id="my-data-title">Your data</h2>
      <p class="muted">Everything we hold about this verification, in one file. Document links in it work for a few minutes.</p>
      <button type="button" class="secondary" onClick={download} disabled={busy}>
        {busy ? "Preparing…" : "Download my data"}
      </button>
      <ErrorNote error={error} />
    </section>
  );
}
