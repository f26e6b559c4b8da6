// UUIDv7 ids (worker/ids.ts): RFC 9562's layout, the time in the first 48 bits, so ids sort by time.
import { describe, expect, it } from "vitest";
import { newId } from "../../worker/ids.ts";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("newId", () => {
  it("is a UUIDv7 whose first 48 bits are the time", () => {
    const id = newId(0x0123456789ab);
    expect(id).toMatch(UUID_V7);
    expect(id.startsWith("01234567-89ab-7")).toBe(true);
  });

  it("sorts by time and does not repeat", () => {
    const ids = Array.from({ length: 2000 }, (_, i) => newId(1_700_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(UUID_V7);
  });
});
