// The dashboard's message catalogues (ui/src/i18n) and their formatting: German says everything
// English says, the browser's language picks the catalogue, and numbers, sizes, waits and dates
// are written the way each language writes them.
import { describe, expect, it } from "vitest";
import { de } from "../../ui/src/i18n/de.ts";
import { en } from "../../ui/src/i18n/en.ts";
import { i18nFor, preferredLocale } from "../../ui/src/lib/i18n-core.ts";

describe("catalogues", () => {
  it("German has every English message, of the same kind, and none left in English", () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(typeof de[key], key).toBe(typeof en[key]);
      if (typeof en[key] === "string" && en[key].length > 12 && !/^[A-Z]+$|demo\.test/.test(en[key]))
        expect(de[key], key).not.toBe(en[key]);
    }
  });
});

describe("language of the browser", () => {
  it("is the first one the dashboard speaks, by its primary subtag, else English", () => {
    expect(preferredLocale(["de-AT", "en-US"])).toBe("de");
    expect(preferredLocale(["fr-FR", "de-CH"])).toBe("de");
    expect(preferredLocale(["fr-FR"])).toBe("en");
    expect(preferredLocale([])).toBe("en");
  });
});

describe("formatting", () => {
  it("writes sizes, waits and dates for the locale", () => {
    const { fileSize: enSize, wait: enWait, date: enDate } = i18nFor("en");
    const { fileSize: deSize, wait: deWait, date: deDate } = i18nFor("de");
    expect(enSize(1.5 * 1024 * 1024)).toBe("1.5 MB");
    expect(deSize(1.5 * 1024 * 1024)).toBe("1,5 MB");
    expect(enWait(30)).toBe("less than a minute");
    expect(deWait(180)).toBe("etwa 3 Minuten");
    expect(enWait(3600)).toBe("about an hour");
    expect(enDate("2026-12-02T10:00:00Z")).toContain("December");
    expect(deDate("2026-12-02T10:00:00Z")).toContain("Dezember");
  });

  it("names document types in the language", () => {
    expect(i18nFor("en").docType("driver_license")).toBe("Driver's licence");
    expect(i18nFor("de").docType("driver_license")).toBe("Führerschein");
    expect(i18nFor("de").docType("utility_bill")).toBe("utility bill");
  });
});
