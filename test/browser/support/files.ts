// Real image files for uploads: a small PNG "passport scan" that browsers can display, with
// the label drawn as noise so that every file (and so every SHA-256) is new.
import { createHash, randomBytes } from "node:crypto";
import { crc32, deflateSync } from "node:zlib";

/** One PNG chunk: length, type, data and CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A 320×200 RGB PNG that looks like a (very abstract) ID page; unique on every call. */
export function passportPng(): Buffer {
  const width = 320;
  const height = 200;
  const noise = randomBytes(width * height);
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const photo = x > 20 && x < 110 && y > 40 && y < 170;
      const line = x > 130 && x < 300 && y % 24 > 14 && y > 40;
      const base = photo ? 120 : line ? 60 : 225;
      const n = noise[y * width + x]! % 24;
      row.writeUInt8(Math.min(255, base + n), 1 + x * 3);
      row.writeUInt8(Math.min(255, base + n + (photo ? 0 : 10)), 2 + x * 3);
      row.writeUInt8(Math.min(255, base + n + (photo ? 10 : 20)), 3 + x * 3);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(Buffer.concat(rows))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

export const sha256Hex = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
