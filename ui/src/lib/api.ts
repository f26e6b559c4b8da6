// Fetch wrapper: adds the bearer token, parses the contract's error JSON into ApiFailure,
// and signs the user out when the server says the token is no longer valid.
import type { z } from "zod";
import type { ErrorBody } from "../../../worker/schemas/common.ts";
import { currentSession, setSession } from "./session.ts";

// The contract's error body, every part optional: a proxy or a crash may answer with anything.
type ErrorPayload = { error?: Partial<z.infer<typeof ErrorBody>["error"]> } | null;

export class ApiFailure extends Error {
  status: number;
  code: string;
  details: Record<string, unknown> | undefined;
  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The ApiFailure for a non-2xx answer; a 401 to a signed-in user ends the session. */
export function failureFrom(status: number, payload: ErrorPayload, hadToken: boolean): ApiFailure {
  if (status === 401 && hadToken) setSession(null);
  return new ApiFailure(
    status,
    payload?.error?.code ?? "http_error",
    payload?.error?.message ??
      (status === 0 ? "The server could not be reached. Check your connection and try again." : `Request failed (${status}).`),
    payload?.error?.details,
  );
}

/** A JSON (or binary) request to /api/v1<path>; throws ApiFailure on any error answer. */
export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  const token = currentSession()?.token;
  if (token) headers.set("Authorization", `Bearer ${token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(init.json);
  }
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { ...init, headers, body });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw failureFrom(0, null, false);
  }
  if (res.ok) return (res.headers.get("Content-Type")?.includes("json") ? res.json() : res.blob()) as Promise<T>;
  throw failureFrom(res.status, (await res.json().catch(() => null)) as ErrorPayload, Boolean(token));
}

/**
 * A multipart POST with upload progress (fetch cannot report it): `onProgress` gets 0..1.
 * Same answers and errors as `api`.
 */
export function uploadWithProgress<T>(path: string, form: FormData, onProgress: (fraction: number) => void): Promise<T> {
  const token = currentSession()?.token;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/v1${path}`);
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(failureFrom(0, null, false));
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.response as T);
      else reject(failureFrom(xhr.status, xhr.response as ErrorPayload, Boolean(token)));
    };
    xhr.send(form);
  });
}

/** The error's sentence, for a user to read. */
export function describeError(err: unknown): string {
  if (err instanceof ApiFailure) return err.message;
  return err instanceof Error ? err.message : String(err);
}

/** The per-field messages of a 400 (`details` maps a dotted field path to a sentence). */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiFailure) || !err.details) return {};
  return Object.fromEntries(Object.entries(err.details).filter((e): e is [string, string] => typeof e[1] === "string"));
}
