// The system's API as the bench's clients use it (API.md): JSON over fetch with a bearer
// token, the socket URLs, and the small steps every scenario repeats.
import { pngChunk } from "../../test/browser/support/files.ts";
import { randomBytes } from "node:crypto";

export type Json = Record<string, any>;
export type Answer = { status: number; body: Json };

export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

type CallInit = { token?: string; method?: string; json?: unknown; body?: FormData };

/** `/api/v1<path>`: the status and the parsed body, whatever the status; throws only when the request itself fails. */
export async function request(baseUrl: string, path: string, init: CallInit = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  let body: string | FormData | undefined = init.body;
  if (init.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(init.json);
  }
  const res = await fetch(`${baseUrl}/api/v1${path}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body });
  const text = await res.text();
  let parsed: Json = {};
  try {
    parsed = text ? (JSON.parse(text) as Json) : {};
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed };
}

/** Like `request`, but any non-2xx answer throws an HttpError. */
export async function api(baseUrl: string, path: string, init: CallInit = {}): Promise<Json> {
  const answer = await request(baseUrl, path, init);
  if (answer.status < 200 || answer.status > 299) {
    throw new HttpError(
      answer.status,
      `${init.method ?? (init.json || init.body ? "POST" : "GET")} ${path} → ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`,
    );
  }
  return answer.body;
}

/** ws:// URL of a socket route, the token as `?token=` (API.md: for clients other than browsers). */
export function socketUrl(baseUrl: string, path: string, token: string, query: Record<string, string> = {}): string {
  const url = new URL(`/api/v1${path}`, baseUrl.replace(/^http/, "ws"));
  url.searchParams.set("token", token);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.toString();
}

/** A valid 1×1 PNG with a random text chunk: a few hundred bytes, a new SHA-256 every call. */
export function tinyPng(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 0, 0, 0, 0], 8);
  const pixel = Buffer.from([0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("tEXt", Buffer.concat([Buffer.from("bench\0"), Buffer.from(randomBytes(24).toString("hex"))])),
    pngChunk("IDAT", pixel),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Uploads one fresh passport image to a verification; returns the document's hash. */
export async function uploadDocument(baseUrl: string, token: string, verificationId: string): Promise<string> {
  const form = new FormData();
  form.set("doc_type", "passport");
  form.set("file", new File([tinyPng()], "passport.png", { type: "image/png" }));
  const doc = await api(baseUrl, `/verifications/${verificationId}/documents`, { token, body: form });
  return doc.document_hash as string;
}

/** A customer's verification with one document, ready to submit (the call-creation path). */
export async function prepareVerification(
  baseUrl: string,
  token: string,
  requirements?: Array<{ skill: string; level: number }>,
): Promise<string> {
  const { id } = await api(baseUrl, "/verifications", {
    token,
    json: {
      user_info: { name: "Bench Customer", email: "bench@demo.test", date_of_birth: "1990-01-31" },
      ...(requirements ? { requirements } : {}),
    },
  });
  await uploadDocument(baseUrl, token, id);
  return id as string;
}

/** Runs `fn` over `items`, at most `concurrency` at a time, keeping the order of results. */
export async function inParallel<T, R>(items: readonly T[], concurrency: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(lanes);
  return out;
}

/** `items` dealt round-robin into `n` shares (for the client processes). */
export function deal<T>(items: readonly T[], n: number): T[][] {
  const shares = Array.from({ length: Math.max(1, Math.min(n, items.length || 1)) }, () => [] as T[]);
  items.forEach((item, i) => shares[i % shares.length]!.push(item));
  return shares;
}
