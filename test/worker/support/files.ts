// Small document files built from their real magic bytes, with random content so that
// every call gives a new hash.

function withHeader(header: number[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  crypto.getRandomValues(bytes.subarray(0, Math.min(size, 65536)));
  bytes.set(header, 0);
  return bytes;
}

export const pngBytes = (size = 2048) => withHeader([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], size);
export const jpegBytes = (size = 2048) => withHeader([0xff, 0xd8, 0xff, 0xe0], size);
export const pdfBytes = (size = 2048) => withHeader([...new TextEncoder().encode("%PDF-1.7\n")], size);
export const webpBytes = (size = 2048) => {
  const bytes = withHeader([...new TextEncoder().encode("RIFF")], size);
  bytes.set(new TextEncoder().encode("WEBP"), 8);
  return bytes;
};
/** A GIF: a real image type, but not one we accept. */
export const gifBytes = (size = 2048) => withHeader([...new TextEncoder().encode("GIF89a")], size);

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A multipart body with an optional `file` part and extra text fields. */
export function documentForm(file: Uint8Array | null, fields: Record<string, string> = {}, filename = "scan.png"): FormData {
  const form = new FormData();
  if (file) form.set("file", new File([file], filename, { type: "image/png" }));
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return form;
}

/** HMAC-SHA256 under `key`, lowercase hex: how the server keys notes hashes. */
export async function hmacHex(key: Uint8Array, text: string): Promise<string> {
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(text)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}
