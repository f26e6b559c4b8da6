// SHA-256 of a file, computed in the browser (the file never leaves it), in chunks so that a
// large scan shows progress and the page stays responsive.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

const CHUNK_BYTES = 1024 * 1024;

/** Lowercase hex SHA-256 of `file`; `onProgress` gets 0..1 after each chunk. */
export async function sha256OfFile(file: Blob, onProgress?: (fraction: number) => void): Promise<string> {
  const hash = sha256.create();
  for (let offset = 0; offset < file.size; offset += CHUNK_BYTES) {
    const chunk = new Uint8Array(await file.slice(offset, offset + CHUNK_BYTES).arrayBuffer());
    hash.update(chunk);
    onProgress?.(Math.min(1, (offset + chunk.length) / file.size));
  }
  return bytesToHex(hash.digest());
}
