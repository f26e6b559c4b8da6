// The pure half of the dashboard's languages (no DOM, no preact, so Node tests import it): the
// catalogues, which of them a browser's language list picks, and each language's formatters.
import { de } from "../i18n/de.ts";
import { en, type Messages } from "../i18n/en.ts";

export const LOCALES = { en, de } as const;
export type Locale = keyof typeof LOCALES;

export const isLocale = (value: unknown): value is Locale => typeof value === "string" && Object.hasOwn(LOCALES, value);

/** The first of the browser's languages this dashboard speaks (by primary subtag), else English. */
export function preferredLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const primary = tag.toLowerCase().split("-")[0];
    if (isLocale(primary)) return primary;
  }
  return "en";
}

export type I18n = ReturnType<typeof i18nFor>;

/** The messages and formatters of `locale` (pure: also what the tests use). */
export function i18nFor(locale: Locale) {
  const t: Messages = LOCALES[locale];
  const number = (value: number, options?: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, options).format(value);
  return {
    locale,
    t,
    number,
    /** A date (and time) as people of this language write it. */
    date: (iso: string, withTime = false) =>
      new Intl.DateTimeFormat(locale, withTime ? { dateStyle: "long", timeStyle: "short" } : { dateStyle: "long" }).format(new Date(iso)),
    /** 12.3 KB, 1.4 MB (1,4 MB in German). */
    fileSize: (bytes: number) => {
      if (bytes < 1024) return number(bytes, { style: "unit", unit: "byte", unitDisplay: "short" });
      if (bytes < 1024 * 1024)
        return number(bytes / 1024, { style: "unit", unit: "kilobyte", maximumFractionDigits: bytes < 10 * 1024 ? 1 : 0 });
      return number(bytes / (1024 * 1024), { style: "unit", unit: "megabyte", maximumFractionDigits: 1 });
    },
    /** A gentle estimate for customers: "less than a minute", "about 3 minutes". */
    wait: (seconds: number) => {
      if (seconds < 60) return t.waitLessThanMinute;
      const minutes = Math.round(seconds / 60);
      if (minutes < 60) return t.waitMinutes(minutes, number(minutes));
      const hours = Math.round(minutes / 60);
      return t.waitHours(hours, number(hours));
    },
    docType: (type: string) => (DOC_TYPE_KEY[type] ? t[DOC_TYPE_KEY[type]!] : type.replace(/_/g, " ")),
  };
}

const DOC_TYPE_KEY: Record<string, "docPassport" | "docIdCard" | "docDriverLicense" | "docSelfie" | "docProofOfAddress"> = {
  passport: "docPassport",
  id_card: "docIdCard",
  driver_license: "docDriverLicense",
  selfie: "docSelfie",
  proof_of_address: "docProofOfAddress",
};

/** The document types a customer can upload, in the order the form offers them. */
export const DOC_TYPES = Object.keys(DOC_TYPE_KEY);
