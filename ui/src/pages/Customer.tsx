// The customer's phone-first flow: start a verification, upload ID documents (each hashed
// in the browser and on the server, the two hashes shown side by side), then submit.
import { useEffect, useState } from "preact/hooks";
import { api, describeError } from "../lib/api.ts";
import { sha256OfFile } from "../lib/hash.ts";
import type { Session } from "../lib/session.ts";

type Uploaded = { document_id: string; document_hash: string; size: number; content_type: string; doc_type: string; local_hash: string };

const DOC_TYPES: Array<[string, string]> = [
  ["passport", "Passport"],
  ["id_card", "ID card"],
  ["driver_license", "Driver's licence"],
  ["selfie", "Selfie"],
  ["proof_of_address", "Proof of address"],
];

const KEY = "verifyid.customer.verification";

export function Customer({ session }: { session: Session }) {
  const [verificationId, setVerificationId] = useState<string | null>(() => sessionStorage.getItem(KEY));
  const [uploaded, setUploaded] = useState<Uploaded[]>([]);
  const [docType, setDocType] = useState("passport");
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (verificationId) sessionStorage.setItem(KEY, verificationId);
    else sessionStorage.removeItem(KEY);
  }, [verificationId]);

  async function start() {
    setError(null);
    try {
      const created = await api<{ id: string }>("/verifications", {
        method: "POST",
        json: { user_info: { name: session.user.name, email: session.user.email } },
      });
      setUploaded([]);
      setVerificationId(created.id);
    } catch (err) {
      setError(describeError(err));
    }
  }

  async function upload(file: File) {
    if (!verificationId) return;
    setError(null);
    setStatus(`Hashing ${file.name}…`);
    try {
      const local_hash = await sha256OfFile(file);
      setStatus(`Uploading ${file.name} (${Math.ceil(file.size / 1024)} KiB)…`);
      const form = new FormData();
      form.set("file", file);
      form.set("doc_type", docType);
      const doc = await api<Omit<Uploaded, "doc_type" | "local_hash">>(`/verifications/${verificationId}/documents`, {
        method: "POST",
        body: form,
      });
      setUploaded((list) => [...list, { ...doc, doc_type: docType, local_hash }]);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setStatus(null);
    }
  }

  return (
    <section class="card">
      <h1>Verify your identity</h1>
      {!verificationId ? (
        <>
          <p>Upload a photo or scan of your ID. Each file is fingerprinted (SHA-256) and stored encrypted.</p>
          <button onClick={start}>Start verification</button>
        </>
      ) : (
        <>
          <p class="muted">
            Verification <code>{verificationId}</code>
          </p>
          <div class="row">
            <label>
              Document type
              <select name="doc_type" value={docType} onChange={(e) => setDocType(e.currentTarget.value)}>
                {DOC_TYPES.map(([value, label]) => (
                  <option value={value}>{label}</option>
                ))}
              </select>
            </label>
            <label class="file">
              Choose file (JPEG, PNG, WebP or PDF, up to 10 MiB)
              <input
                name="file"
                type="file"
                accept="image/jpeg,image/png,image/webp,application/pdf"
                capture="environment"
                disabled={status !== null}
                onChange={(e) => {
                  const file = e.currentTarget.files?.[0];
                  if (file) void upload(file);
                  e.currentTarget.value = "";
                }}
              />
            </label>
          </div>
          {status && <p class="progress" role="status">{status}</p>}
          {uploaded.length > 0 && (
            <ul class="documents">
              {uploaded.map((d) => (
                <li data-document-id={d.document_id}>
                  <strong>{d.doc_type.replace(/_/g, " ")}</strong> · {d.content_type} · {Math.ceil(d.size / 1024)} KiB
                  <div class="hash">
                    SHA-256 <code data-testid="document-hash">{d.document_hash}</code>
                    {d.local_hash === d.document_hash ? (
                      <span class="ok"> ✓ matches the hash computed on this device</span>
                    ) : (
                      <span class="error"> ✗ differs from this device's hash {d.local_hash}</span>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )}
          <button class="secondary" onClick={() => setVerificationId(null)}>
            Start over
          </button>
        </>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
