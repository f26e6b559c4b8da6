// The staff pages read their words from the staff catalogue (ui/src/i18n/staff.ts): English for
// every language until one has its own (issue 13: "Staff pages may stay English for now but use
// the catalogue"), and no sentence left written into the pages themselves.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { de } from "../../ui/src/i18n/de.ts";
import { en } from "../../ui/src/i18n/en.ts";
import { staff } from "../../ui/src/i18n/staff.ts";
import { staffMessagesFor } from "../../ui/src/lib/staff-i18n-core.ts";

const UI = join(import.meta.dirname, "../../ui/src");
const STAFF_FILES = [
  ...readdirSync(join(UI, "pages/agent")).map((f) => `pages/agent/${f}`),
  ...readdirSync(join(UI, "pages/manager")).map((f) => `pages/manager/${f}`),
  "components/CallHistory.tsx",
  "components/QueueTable.tsx",
].filter((f) => f.endsWith(".tsx"));

/** Keys and symbols shown as they are, in every language. */
const NOT_WORDS = new Set(["A", "R", "Ctrl+Enter", "SHA-256"]);

/** English words written straight into a page: JSX text and the attributes people read. */
function writtenWords(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const text = [...code.matchAll(/(?<![=-])>\s*([A-Za-z][^<>{}()=;|&"]*?)\s*</g)].map((m) => m[1]!);
  const attributes = [...code.matchAll(/\b(?:label|caption|title|placeholder|aria-label|alt|hint)="([^"]*[A-Za-z][^"]*)"/g)].map(
    (m) => m[1]!,
  );
  return [...text, ...attributes].filter((w) => !NOT_WORDS.has(w));
}

describe("the staff catalogue", () => {
  it("is English in every language for now, apart from the customer's catalogue", () => {
    expect(staffMessagesFor("en")).toBe(staff);
    expect(staffMessagesFor("de")).toBe(staff);
    // The customer's catalogues (complete in both languages, test/core/ui-i18n.test.ts) carry no staff words.
    expect(Object.keys(en)).not.toContain("deskTitle");
    expect(Object.keys(de)).not.toContain("deskTitle");
  });

  it.each(STAFF_FILES)("%s writes no sentence of its own", (file) => {
    expect(writtenWords(readFileSync(join(UI, file), "utf8"))).toEqual([]);
  });

  it("would notice a sentence written into a page", () => {
    expect(writtenWords(`<h2>Waiting customers</h2><input placeholder="Your name" />`)).toEqual(["Waiting customers", "Your name"]);
    expect(writtenWords(`<h2>{s.waitingCustomers}</h2><kbd>A</kbd>`)).toEqual([]);
  });
});
