// Structured logs: one JSON object per line, so Workers Logs and `wrangler tail` can filter on
// fields (request_id, route, status, tenant_id, event). Only ids, codes, numbers and error
// messages go in: never a token, a password, a name, an email, notes or document bytes — a KYC
// operator's logs must not become a second copy of the personal data. Errors are logged by
// name, message and stack, never by dumping the object (which may carry a request).

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A log line's fields: flat values only, so nothing nested (a request, a body) slips in. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

let threshold: LogLevel = "info";

/** Sets the lowest level written (the LOG_LEVEL var; `info` by default). */
export function setLogLevel(level: LogLevel) {
  threshold = level;
}

const rank = (level: LogLevel) => LOG_LEVELS.indexOf(level);

/** Writes one line: `{time, level, event, ...fields}`. */
export function log(level: LogLevel, event: string, fields: LogFields = {}) {
  if (rank(level) < rank(threshold)) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** What an error contributes to a line: its name, message and the first frames of its stack. */
export function errorFields(err: unknown): LogFields {
  if (err instanceof Error) {
    return { error_name: err.name, error_message: err.message, error_stack: err.stack?.split("\n").slice(0, 6).join("\n") };
  }
  return { error_message: typeof err === "string" ? err : "non-error thrown" };
}
