// Media types accepted for identity documents, recognised by their magic bytes: a client's
// Content-Type header or file name is never trusted.

export const ACCEPTED_MEDIA_TYPES = ["image/jpeg", "image/png", "image/webp", "application/pdf"] as const;
export type AcceptedMediaType = (typeof ACCEPTED_MEDIA_TYPES)[number];

const startsWith = (bytes: Uint8Array, prefix: number[], offset = 0) =>
  bytes.length >= offset + prefix.length && prefix.every((b, i) => bytes[offset + i] === b);

const ascii = (s: string) => [...s].map((ch) => ch.charCodeAt(0));

/** The media type the leading bytes of a file prove, or null when none of ours matches. */
export function sniffMediaType(head: Uint8Array): AcceptedMediaType | null {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(head, ascii("RIFF")) && startsWith(head, ascii("WEBP"), 8)) return "image/webp";
  if (startsWith(head, ascii("%PDF-"))) return "application/pdf";
  return null;
}

export const RECORDING_MEDIA_TYPES = ["video/webm", "video/mp4", "audio/ogg"] as const;
export type RecordingMediaType = (typeof RECORDING_MEDIA_TYPES)[number];

/** Call recordings as browsers' MediaRecorder writes them: WebM (EBML), MP4 or Ogg. */
export function sniffRecordingType(head: Uint8Array): RecordingMediaType | null {
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return "video/webm";
  if (startsWith(head, ascii("ftyp"), 4)) return "video/mp4";
  if (startsWith(head, ascii("OggS"))) return "audio/ogg";
  return null;
}
