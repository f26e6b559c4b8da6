// Keeping an uploaded file, the one sequence that documents and call recordings share: the
// multipart body is read within its limits and hashed (upload.ts), its text fields validated, its
// media type proven by magic bytes, its bytes sealed under the file's own id with its
// verification's data key (envelope.ts, lifecycle/keys.ts) and put to R2; then the caller records it in D1, which may refuse (a verification submitted while the
// upload streamed). A refused or failed record removes the R2 object again, so a refused upload
// leaves nothing behind.
import type { ApiError } from "../http/errors.ts";
import { newId } from "../ids.ts";
import { ENVELOPE_FORMAT, seal, type DataKey } from "./envelope.ts";
import { readUploadedFile } from "./upload.ts";

/** What one kind of upload takes and where it goes. */
export type UploadKind<M extends string, F> = {
  maxBytes: number;
  /** Text fields that must be present beside the file. */
  requiredFields: string[];
  /** Validates the text fields (throws the contract's 400); checked before the media type. */
  fields: (form: FormData) => F;
  /** The media type the leading bytes prove, or null for a file this kind does not take. */
  mediaType: (head: Uint8Array) => M | null;
  /** The 415 for any other file. */
  unsupported: () => ApiError;
  /** The R2 key of the file with this id. */
  objectKey: (id: string) => string;
  /** The metadata key that names the id on the R2 object. */
  idMetadata: string;
  /** The data key that seals the file (its verification's, so that erasure can destroy it). */
  sealingKey: (env: Env) => Promise<DataKey>;
};

/** A file as stored: sealed in R2 under `objectKey`, its metadata ready for D1. */
export type KeptUpload<M extends string, F> = {
  id: string;
  objectKey: string;
  mediaType: M;
  size: number;
  /** Lowercase hex SHA-256 of the exact plaintext bytes. */
  sha256: string;
  fields: F;
};

/** Reads, checks, seals and stores one uploaded file; `record` writes its D1 rows and answers,
 * with null when it refused to (the file is then removed from R2, as when `record` throws). */
export async function keepUpload<M extends string, F, T>(
  env: Env,
  request: Request,
  kind: UploadKind<M, F>,
  record: (upload: KeptUpload<M, F>) => Promise<T>,
): Promise<T> {
  const file = await readUploadedFile(request, kind.maxBytes, kind.requiredFields);
  const fields = kind.fields(file.fields);
  const mediaType = kind.mediaType(file.bytes.subarray(0, 16));
  if (!mediaType) throw kind.unsupported();
  const id = newId();
  const objectKey = kind.objectKey(id);
  const dataKey = await kind.sealingKey(env);
  const envelope = await seal(file.bytes, id, dataKey);
  await env.DOCUMENTS.put(objectKey, envelope, {
    customMetadata: { [kind.idMetadata]: id, encryption: ENVELOPE_FORMAT, key_id: dataKey.id },
  });
  let answer: T | null = null;
  try {
    answer = await record({ id, objectKey, mediaType, size: file.size, sha256: file.sha256, fields });
    return answer;
  } finally {
    if (answer === null) await env.DOCUMENTS.delete(objectKey);
  }
}
