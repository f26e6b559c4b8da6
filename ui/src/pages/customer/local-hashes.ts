// The SHA-256 this device computed for each uploaded document, kept for the browser session so
// that a reload still shows both fingerprints side by side.
const KEY = "verifyid.local-hashes";

function all(): Record<string, string> {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? "{}") as Record<string, string>;
  } catch {
    return {};
  }
}

export function localHashOf(documentId: string): string | undefined {
  return all()[documentId];
}

export function rememberLocalHash(documentId: string, hash: string) {
  sessionStorage.setItem(KEY, JSON.stringify({ ...all(), [documentId]: hash }));
}
