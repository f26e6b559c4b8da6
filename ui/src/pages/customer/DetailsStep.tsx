// Step 1: who is being verified.
import { useState } from "preact/hooks";
import type { z } from "zod";
import type { CreatedVerification } from "../../../../worker/schemas/verifications.ts";
import { ErrorNote } from "../../components/ErrorNote.tsx";
import { api, fieldErrors } from "../../lib/api.ts";
import { useI18n } from "../../lib/i18n.ts";
import type { Session } from "../../lib/session.ts";

export function DetailsStep({ session, onCreated }: { session: Session; onCreated: (id: string) => void }) {
  const [name, setName] = useState(session.user.name);
  const [email, setEmail] = useState(session.user.email);
  const [birthDate, setBirthDate] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fields = fieldErrors(error);
  const { t } = useI18n();
  const today = new Date().toISOString().slice(0, 10);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // The page's language goes with the details: the agent who takes the call must speak it.
      const language = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(navigator.language) ? { language: navigator.language } : {};
      const user_info = { name: name.trim(), email: email.trim(), ...(birthDate ? { date_of_birth: birthDate } : {}), ...language };
      const created = await api<z.infer<typeof CreatedVerification>>("/verifications", { method: "POST", json: { user_info } });
      onCreated(created.id);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const field = (id: string, path: string) => ({
    id,
    "aria-invalid": fields[path] ? true : undefined,
    "aria-describedby": fields[path] ? `${id}-error` : undefined,
  });
  const fieldError = (id: string, path: string) =>
    fields[path] && (
      <span class="field-error" id={`${id}-error`}>
        {fields[path]}
      </span>
    );

  return (
    <form class="panel" onSubmit={submit}>
      <h2>{t.stepDetails}</h2>
      <p class="muted">{t.detailsIntro}</p>
      <label for="vi-name">{t.fullName}</label>
      <input
        {...field("vi-name", "user_info.name")}
        name="name"
        autocomplete="name"
        required
        maxLength={200}
        value={name}
        onInput={(e) => setName(e.currentTarget.value)}
      />
      {fieldError("vi-name", "user_info.name")}
      <label for="vi-email">{t.email}</label>
      <input
        {...field("vi-email", "user_info.email")}
        name="email"
        type="email"
        inputMode="email"
        autocomplete="email"
        required
        value={email}
        onInput={(e) => setEmail(e.currentTarget.value)}
      />
      {fieldError("vi-email", "user_info.email")}
      <label for="vi-dob">{t.dateOfBirth}</label>
      <input
        {...field("vi-dob", "user_info.date_of_birth")}
        name="date_of_birth"
        type="date"
        autocomplete="bday"
        max={today}
        required
        value={birthDate}
        onInput={(e) => setBirthDate(e.currentTarget.value)}
      />
      {fieldError("vi-dob", "user_info.date_of_birth")}
      <ErrorNote error={error} inline={["user_info.name", "user_info.email", "user_info.date_of_birth"]} />
      <button type="submit" class="primary big" disabled={busy}>
        {busy ? t.starting : t.continue}
      </button>
    </form>
  );
}
