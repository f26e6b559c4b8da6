// Data lifecycle for managers (README "Data lifecycle"): the tenant's retention periods
// (GET/PUT /settings/retention), and legal hold and erasure of one verification, the erasure
// behind a confirmation step because it cannot be undone.
import { useEffect, useState } from "preact/hooks";
import type { z } from "zod";
import type { Erasure, LegalHold, RetentionSettings } from "../../../../worker/schemas/lifecycle.ts";
import { ErrorNote } from "../../components/ErrorNote.tsx";
import { api } from "../../lib/api.ts";

type Retention = z.infer<typeof RetentionSettings>;

const PERIODS: Array<[keyof Retention, string]> = [
  ["document_days", "Document images (days after the decision)"],
  ["recording_days", "Call recordings (days after the decision)"],
  ["personal_data_days", "Whole record (days after the decision)"],
  ["abandoned_days", "Abandoned, undecided verifications (days untouched)"],
];

function RetentionForm() {
  const [values, setValues] = useState<Retention | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api<Retention>("/settings/retention").then(setValues, setError);
  }, []);

  async function save(e: Event) {
    e.preventDefault();
    if (!values) return;
    setError(null);
    try {
      setValues(await api<Retention>("/settings/retention", { method: "PUT", json: values }));
      setStatus("Saved");
    } catch (err) {
      setError(err);
    }
  }

  return (
    <form onSubmit={save} aria-label="Retention">
      {values &&
        PERIODS.map(([key, label]) => (
          <label key={key}>
            {label}
            <input
              type="number"
              min={1}
              max={36500}
              name={key}
              value={values[key]}
              onInput={(e) => (setValues({ ...values, [key]: Number((e.target as HTMLInputElement).value) }), setStatus(null))}
            />
          </label>
        ))}
      <div class="actions">
        <button type="submit" class="primary" disabled={!values}>
          Save retention
        </button>
        <span role="status" class="ok">
          {status}
        </span>
      </div>
      <ErrorNote error={error} />
    </form>
  );
}

function VerificationActions() {
  const [id, setId] = useState("");
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function run(action: () => Promise<string>) {
    setError(null);
    setStatus(null);
    try {
      setStatus(await action());
    } catch (err) {
      setError(err);
    } finally {
      setConfirming(false);
    }
  }

  const path = `/verifications/${encodeURIComponent(id.trim())}`;
  const hold = () =>
    run(async () => {
      await api<z.infer<typeof LegalHold>>(`${path}/legal-hold`, { method: "POST", json: { reason } });
      return "Legal hold placed: this verification will not be erased until the hold is released.";
    });
  const release = () =>
    run(async () => {
      await api<z.infer<typeof LegalHold>>(`${path}/legal-hold`, { method: "DELETE" });
      return "Legal hold released.";
    });
  const erase = () =>
    run(async () => {
      const done = await api<z.infer<typeof Erasure>>(`${path}/erase`, { method: "POST", json: { reason } });
      return `Erased; audit record ${done.audit_record_id}.`;
    });

  const ready = id.trim() !== "" && reason.trim() !== "";
  return (
    <div aria-label="Erasure and legal hold" role="group">
      <label>
        Verification id
        <input name="verification_id" value={id} onInput={(e) => setId((e.target as HTMLInputElement).value)} autocomplete="off" />
      </label>
      <label>
        Reason
        <input name="reason" value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} maxLength={1000} />
      </label>
      {confirming ? (
        <div class="actions" role="alertdialog" aria-labelledby="erase-confirm">
          <p id="erase-confirm">
            Erase <code>{id.trim()}</code> for good? Its documents, recordings and personal data are destroyed; this cannot be undone.
          </p>
          <button type="button" class="danger" onClick={erase}>
            Erase for good
          </button>
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <div class="actions">
          <button type="button" class="secondary" disabled={!ready} onClick={hold}>
            Place legal hold
          </button>
          <button type="button" class="secondary" disabled={id.trim() === ""} onClick={release}>
            Release hold
          </button>
          <button type="button" class="danger" disabled={!ready} onClick={() => setConfirming(true)}>
            Erase…
          </button>
        </div>
      )}
      <p role="status" class="ok">
        {status}
      </p>
      <ErrorNote error={error} />
    </div>
  );
}

export function DataLifecyclePanel() {
  return (
    <section class="panel" aria-labelledby="lifecycle-title">
      <h2 id="lifecycle-title">Data lifecycle</h2>
      <RetentionForm />
      <h3>Erasure and legal hold</h3>
      <VerificationActions />
    </section>
  );
}
