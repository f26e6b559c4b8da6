// Shapes shared by many routes: the error body, priorities, ids and pagination.
import { z } from "@hono/zod-openapi";

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_error" }),
      message: z.string().openapi({ example: "Invalid request: check email." }),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi("Error");

/** Priorities are words on the wire; the numbers order them. */
export const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export const Priority = z.enum(PRIORITIES).openapi("Priority");
export type Priority = z.infer<typeof Priority>;

export const Id = z.string().min(1).max(64);
export const IdParam = z.object({ id: Id.openapi({ param: { name: "id", in: "path" } }) });

export const Timestamp = z.string().openapi({ example: "2026-11-22T14:02:00.000Z" });

export const Limit = (fallback: number, max: number) =>
  z.coerce
    .number({ error: `limit must be a whole number from 1 to ${max}` })
    .int(`limit must be a whole number from 1 to ${max}`)
    .min(1, `limit must be a whole number from 1 to ${max}`)
    .max(max, `limit must be a whole number from 1 to ${max}`)
    .default(fallback);

/** Standard error responses, spread into each route's `responses`. */
export function errors(...statuses: number[]) {
  const descriptions: Record<number, string> = {
    400: "Invalid input; `details` lists each bad field.",
    401: "Missing, invalid or expired token.",
    403: "Your role lacks the permission.",
    404: "Unknown id, or another tenant's id.",
    409: "State conflict.",
    413: "Too large.",
    415: "Unsupported media type.",
    429: "Rate limited; see Retry-After.",
    503: "A dependency is down; the request was not accepted.",
  };
  return Object.fromEntries(
    statuses.map((s) => [s, { description: descriptions[s] ?? "Error", content: { "application/json": { schema: ErrorBody } } }]),
  );
}

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});
