// The agent's decision: approved / rejected / needs review, a reason code and notes. It ends
// the call, records the decision in the audit log and frees the agent for the next call.
import { useState } from "preact/hooks";
import type { z } from "zod";
import type { CallView } from "../../../../worker/schemas/messages.ts";
import type { CompleteResponse } from "../../../../worker/schemas/video-calls.ts";
import { ErrorNote } from "../../components/ErrorNote.tsx";
import { api, fieldErrors } from "../../lib/api.ts";
import { secondsBetween } from "../../lib/format.ts";
import { REASONS, type Decision } from "../../lib/verifications.ts";
import { useStaffText } from "../../lib/staff-i18n.ts";
import type { StaffMessages } from "../../i18n/staff.ts";

export type CompleteResult = z.infer<typeof CompleteResponse>;

const DECISIONS = [
  ["approved", "decisionApprove"],
  ["rejected", "decisionReject"],
  ["needs_review", "decisionNeedsReview"],
] as const satisfies ReadonlyArray<readonly [Decision, keyof StaffMessages]>;

type Props = { call: CallView; onCompleted: (result: CompleteResult, decision: Decision) => void };

export function CompleteForm({ call, onCompleted }: Props) {
  const [decision, setDecision] = useState<Decision | null>(null);
  const [reason, setReason] = useState("");
  const [notes, setNotes] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const s = useStaffText();
  const fields = fieldErrors(error);
  const reasons = decision ? REASONS[decision] : [];
  const notesRequired = decision !== null && decision !== "approved";

  async function submit(e: Event) {
    e.preventDefault();
    if (!decision) return;
    setBusy(true);
    setError(null);
    try {
      const result = await api<CompleteResult>(`/video-calls/${call.id}/complete`, {
        method: "POST",
        json: {
          verification_result: decision,
          call_notes: notes.trim(),
          ...(reason ? { reason_code: reason } : {}),
          ...(call.started_at ? { duration_seconds: secondsBetween(call.started_at, undefined, Date.now()) } : {}),
        },
      });
      onCompleted(result, decision);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <form
      class="complete-form"
      onSubmit={submit}
      onKeyDown={(e) => {
        // Ctrl/Cmd+Enter submits from the notes field.
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) e.currentTarget.requestSubmit();
      }}
      aria-labelledby="complete-title"
    >
      <h3 id="complete-title">{s.decision}</h3>
      <fieldset class="segmented decision">
        <legend class="sr-only">{s.verificationResult}</legend>
        {DECISIONS.map(([value, label]) => (
          <label key={value} class={`seg ${value} ${decision === value ? "checked" : ""}`}>
            <input
              type="radio"
              name="verification_result"
              value={value}
              checked={decision === value}
              onChange={() => {
                setDecision(value);
                setReason(REASONS[value][0]!.code);
              }}
            />
            {s[label]}
          </label>
        ))}
      </fieldset>
      {fields.verification_result && <span class="field-error">{fields.verification_result}</span>}
      <label for="reason-code">{s.reason}</label>
      <select id="reason-code" name="reason_code" value={reason} disabled={!decision} onChange={(e) => setReason(e.currentTarget.value)}>
        {!decision && <option value="">{s.chooseDecisionFirst}</option>}
        {reasons.map((r) => (
          <option key={r.code} value={r.code}>
            {r.label}
          </option>
        ))}
      </select>
      {fields.reason_code && <span class="field-error">{fields.reason_code}</span>}
      <label for="call-notes">
        {s.notes} {notesRequired ? "" : <span class="muted">{s.optional}</span>}
      </label>
      <textarea
        id="call-notes"
        name="call_notes"
        rows={3}
        maxLength={4000}
        required={notesRequired}
        placeholder={notesRequired ? s.notesRequiredPlaceholder : s.notesOptionalPlaceholder}
        value={notes}
        onInput={(e) => setNotes(e.currentTarget.value)}
      />
      {fields.call_notes && <span class="field-error">{fields.call_notes}</span>}
      <ErrorNote error={error} inline={["verification_result", "reason_code", "call_notes"]} />
      <button type="submit" class="primary" disabled={!decision || busy}>
        {busy ? s.saving : s.completeTheCall} <kbd>Ctrl+Enter</kbd>
      </button>
    </form>
  );
}
