// Data lifecycle for managers (README "Data lifecycle"): the tenant's retention periods
// (GET/PUT /settings/retention), and legal hold and erasure of one verification, the erasure
// behind a confirmation step because it cannot be undone.
import { useEffect, useState } from "preact/hooks";
import type { z } from "zod";
import type { Erasure, LegalHold, RetentionSettings } from "../../../../worker/schemas/lifecycle.ts";
import { ErrorNote } from "../../components/ErrorNote.tsx";
import { api } from "../../lib/api.ts";
import { useStaffText } from "../../lib/staff-i18n.ts";
import type { StaffMessages } from "../../i18n/staff.ts";

type Retention = z.infer<typeof RetentionSettings>;

const PERIODS = [
  ["document_days", "retentionDocuments"],
  ["recording_days", "retentionRecordings"],
  ["personal_data_days", "retentionPersonalData"],
  ["abandoned_days", "retentionAbandoned"],
] as const satisfies ReadonlyArray<readonly [keyof Retention, keyof StaffMessages]>;

function RetentionForm() {
  const [values, setValues] = useState<Retention | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const s = useStaffText();

  useEffect(() => {
    api<Retention>("/settings/retention").then(setValues, setError);
  }, []);

  async function save(e: Event) {
    e.preventDefault();
    if (!values) return;
    setError(null);
    try {
      setValues(await api<Retention>("/settings/retention", { method: "PUT", json: values }));
      setStatus(s.saved);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <form onSubmit={save} aria-label={s.retention}>
      {values &&
        PERIODS.map(([key, label]) => (
          <label key={key}>
            {s[label]}
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
          {s.saveRetention}
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
  const s = useStaffText();

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
      return s.legalHoldPlaced;
    });
  const release = () =>
    run(async () => {
      await api<z.infer<typeof LegalHold>>(`${path}/legal-hold`, { method: "DELETE" });
      return s.legalHoldReleased;
    });
  const erase = () =>
    run(async () => {
      const done = await api<z.infer<typeof Erasure>>(`${path}/erase`, { method: "POST", json: { reason } });
      return s.erasedWithRecord(done.audit_record_id);
    });

  const ready = id.trim() !== "" && reason.trim() !== "";
  return (
    <div aria-label={s.erasureAndLegalHold} role="group">
      <label>
        {s.verificationId}
        <input name="verification_id" value={id} onInput={(e) => setId((e.target as HTMLInputElement).value)} autocomplete="off" />
      </label>
      <label>
        {s.reason}
        <input name="reason" value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} maxLength={1000} />
      </label>
      {confirming ? (
        <div class="actions" role="alertdialog" aria-labelledby="erase-confirm">
          <p id="erase-confirm">
            {s.eraseConfirmBefore}
            <code>{id.trim()}</code>
            {s.eraseConfirmAfter}
          </p>
          <button type="button" class="danger" onClick={erase}>
            {s.eraseForGood}
          </button>
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            {s.cancel}
          </button>
        </div>
      ) : (
        <div class="actions">
          <button type="button" class="secondary" disabled={!ready} onClick={hold}>
            {s.placeLegalHold}
          </button>
          <button type="button" class="secondary" disabled={id.trim() === ""} onClick={release}>
            {s.releaseHold}
          </button>
          <button type="button" class="danger" disabled={!ready} onClick={() => setConfirming(true)}>
            {s.eraseEllipsis}
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
  const s = useStaffText();
  return (
    <section class="panel" aria-labelledby="lifecycle-title">
      <h2 id="lifecycle-title">{s.dataLifecycle}</h2>
      <RetentionForm />
      <h3>{s.erasureAndLegalHold}</h3>
      <VerificationActions />
    </section>
  );
}
