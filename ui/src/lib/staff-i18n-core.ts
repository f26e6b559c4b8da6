// The pure half of the staff pages' language (no preact, so Node tests import it): which staff
// catalogue a language reads, and the staff pages' own formatting.
import { staff, type StaffMessages } from "../i18n/staff.ts";
import type { Locale } from "./i18n-core.ts";

/** The staff catalogue of each language; a language without one reads English (i18n/staff.ts). */
const STAFF: Partial<Record<Locale, StaffMessages>> = { en: staff };

/** The staff catalogue for `locale`. */
export const staffMessagesFor = (locale: Locale): StaffMessages => STAFF[locale] ?? staff;

/** A duration as staff read it: seconds up to 90, then minutes. */
export const seconds = (s: StaffMessages, value: number) => (value < 90 ? s.seconds(Math.round(value)) : s.minutes(Math.round(value / 60)));
