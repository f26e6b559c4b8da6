// Reads one uploaded file from a multipart request, with the contract's limits: 415 for a
// body that is not multipart, 411 without a Content-Length, 413 past the size limit (checked
// on Content-Length before the body is read, then on the part itself), 400 when the `file`
// field is missing.
import { toHex } from "../encoding.ts";
import { ApiError, badRequest } from "../http/errors.ts";

// Room for multipart boundaries and the other small fields around the file.
const MULTIPART_OVERHEAD = 64 * 1024;

export type UploadedFile = {
  bytes: Uint8Array;
  size: number;
  /** Lowercase hex SHA-256 of the exact bytes. */
  sha256: string;
  fields: FormData;
};

const tooLarge = (maxBytes: number) =>
  new ApiError(413, "payload_too_large", `The file exceeds the ${Math.round(maxBytes / 1024 / 1024)} MiB limit.`, {
    max_bytes: maxBytes,
  });

/** Parses the multipart body and hashes its `file` part by streaming it through SHA-256. */
export async function readUploadedFile(req: Request, maxBytes: number, requiredFields: string[] = []): Promise<UploadedFile> {
  const type = req.headers.get("Content-Type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) {
    throw new ApiError(415, "unsupported_media_type", "Send the file as multipart/form-data with a `file` field.");
  }
  // Without a declared length the body would have to be read whole before its size is known.
  const length = req.headers.get("Content-Length");
  if (length === null) throw new ApiError(411, "length_required", "Send the upload with a Content-Length.");
  if (Number(length) > maxBytes + MULTIPART_OVERHEAD) throw tooLarge(maxBytes);

  let fields: FormData;
  try {
    fields = await req.formData();
  } catch {
    throw badRequest("The multipart body could not be parsed.", { body: "malformed multipart/form-data" });
  }
  const file = fields.get("file");
  const missing: Record<string, string> = {};
  if (!(file instanceof File)) missing.file = "file is required (a multipart file part named `file`)";
  for (const name of requiredFields) {
    if (typeof fields.get(name) !== "string" || fields.get(name) === "") missing[name] = `${name} is required`;
  }
  if (Object.keys(missing).length > 0 || !(file instanceof File)) {
    throw badRequest(`Invalid request: check ${Object.keys(missing).join(", ")}.`, missing);
  }
  if (file.size > maxBytes) throw tooLarge(maxBytes);
  if (file.size === 0) throw badRequest("The file is empty.", { file: "file is empty" });

  const digest = new crypto.DigestStream("SHA-256");
  const [forHash, forBytes] = file.stream().tee();
  const [hash, buffer] = await Promise.all([forHash.pipeTo(digest).then(() => digest.digest), new Response(forBytes).arrayBuffer()]);
  const bytes = new Uint8Array(buffer);
  return { bytes, size: bytes.length, sha256: toHex(hash), fields };
}
