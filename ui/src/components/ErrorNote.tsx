import { ApiFailure, describeError } from "../lib/api.ts";

/**
 * An error as the API explained it: the sentence, then each field it named, except the
 * fields in `inline` (a form shows those next to their inputs).
 */
export function ErrorNote({ error, inline = [] }: { error: unknown; inline?: string[] }) {
  if (!error) return null;
  const details =
    error instanceof ApiFailure && error.details
      ? Object.entries(error.details).filter(([k, v]) => typeof v === "string" && !inline.includes(k))
      : [];
  return (
    <div class="notice error" role="alert">
      <p>{describeError(error)}</p>
      {details.length > 0 && (
        <ul>
          {details.map(([field, message]) => (
            <li key={field}>{String(message)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
