// Short-lived signed links to a document's decrypted bytes, for exports: the link itself is the
// credential (a download needs no token), so it names its expiry and is HMAC-signed with a key
// derived from JWT_SECRET for this one purpose.
import { hmacSha256Hex } from "../encoding.ts";

const linkKey = (secret: string) => new TextEncoder().encode(`verifyid/document-link:${secret}`);
const signed = (documentId: string, expires: number) => `${documentId}.${expires}`;

/** The signature of a link to `documentId` that works until `expires` (ms since the epoch). */
export async function signDocumentLink(secret: string, documentId: string, expires: number): Promise<string> {
  return hmacSha256Hex(linkKey(secret), signed(documentId, expires));
}

/** True when the link is signed by this deployment and not expired at `now`. Constant-time compare. */
export async function verifyDocumentLink(secret: string, documentId: string, expires: number, signature: string, now = Date.now()) {
  if (!(expires > now)) return false;
  const expected = await signDocumentLink(secret, documentId, expires);
  if (expected.length !== signature.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ signature.charCodeAt(i);
  return diff === 0;
}

/** The path (under the API base) of a signed link. */
export const documentLinkPath = (documentId: string, expires: number, signature: string) =>
  `/exports/document?id=${encodeURIComponent(documentId)}&expires=${expires}&signature=${signature}`;
