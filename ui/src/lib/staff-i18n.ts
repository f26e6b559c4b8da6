// The staff pages' messages in the current language: English for every language until one
// has its own staff catalogue (ui/src/i18n/staff.ts says why). Re-renders with the header's
// language switch like `useI18n`.
import { staff, type StaffMessages } from "../i18n/staff.ts";
import { useI18n, type Locale } from "./i18n.ts";

/** The staff catalogue of each language; a language without one reads English. */
const STAFF: Partial<Record<Locale, StaffMessages>> = { en: staff };

/** The staff catalogue for `locale` (pure: also what the tests use). */
export const staffMessagesFor = (locale: Locale): StaffMessages => STAFF[locale] ?? staff;

/** The current language's staff messages. */
export function useStaffText(): StaffMessages {
  return staffMessagesFor(useI18n().locale);
}
