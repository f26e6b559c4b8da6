// The contract's error shape, produced in one place. Routes throw `ApiError`s (or let zod
// validation fail); `renderError` turns anything thrown into
// `{"error": {"code", "message", "details"?}}` and never leaks a stack trace.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import type { ContractError, Result } from "../core/result.ts";
import { errorFields, log } from "../observability/log.ts";
import type { AppEnv } from "./app-env.ts";

export type ErrorDetails = Record<string, unknown>;

/** An error the API reports to its caller with a status, a snake_case code and a sentence. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly details: ErrorDetails | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(status: ContentfulStatusCode, code: string, message: string, details?: ErrorDetails, headers?: Record<string, string>) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

export const badRequest = (message: string, details?: ErrorDetails) => new ApiError(400, "validation_error", message, details);
export const unauthorized = (message = "Authentication is required.") => new ApiError(401, "unauthorized", message);
export const forbidden = (permission: string) =>
  new ApiError(403, "forbidden", `Your role lacks the permission ${permission}.`, { permission });
/** 404 for unknown ids and for other tenants' ids alike, so existence never leaks. */
export const notFound = (what: string) => new ApiError(404, "not_found", `${what} was not found.`);
export const conflict = (code: string, message: string, details?: ErrorDetails) => new ApiError(409, code, message, details);
export const unavailable = (message: string) => new ApiError(503, "service_unavailable", message);

/** Maps each failing field path (dot-joined) to its first message: the `details` of a 400. */
export function zodFieldErrors(error: ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.length ? issue.path.map(String).join(".") : "body";
    fields[path] ??= issue.message;
  }
  return fields;
}

export function validationError(error: ZodError): ApiError {
  const fields = zodFieldErrors(error);
  const names = Object.keys(fields).join(", ");
  return badRequest(`Invalid request: check ${names}.`, fields);
}

const STATUS_CODES: Partial<Record<number, string>> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
  503: "service_unavailable",
};

export function errorBody(code: string, message: string, details?: ErrorDetails, requestId?: string) {
  return { error: { code, message, ...(details ? { details } : {}), ...(requestId ? { request_id: requestId } : {}) } };
}

/** Hono `onError` handler: every failure leaves as the contract's error JSON. */
export function renderError(err: Error, c: Context<AppEnv>): Response {
  const requestId = c.get("requestId");
  const answer = (
    code: string,
    message: string,
    status: ContentfulStatusCode,
    details?: ErrorDetails,
    headers?: Record<string, string>,
  ) => {
    c.set("outcome", code);
    return c.json(errorBody(code, message, details, requestId), status, headers);
  };
  if (err instanceof ApiError) return answer(err.code, err.message, err.status, err.details, err.headers);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const message = err.message || (status === 415 ? "Unsupported content type." : "Request failed.");
    return answer(STATUS_CODES[status] ?? "http_error", message, status);
  }
  if (err instanceof SyntaxError) return answer("invalid_json", "The request body is not valid JSON.", 400);
  log("error", "unhandled_error", { request_id: requestId, ...errorFields(err) });
  return answer("internal_error", "Something went wrong on our side; it has been logged.", 500);
}

/** The value of an object's or rule's result, or the matching API error. */
export function unwrap<T>(result: Result<T, ContractError<number>>): T {
  if (result.ok) return result.value;
  const { status, code, message, details } = result.error;
  throw new ApiError(status as ContentfulStatusCode, code, message, details);
}
