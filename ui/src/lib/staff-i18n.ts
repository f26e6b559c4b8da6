// The staff pages' messages in the current language: English for every language until one
// has its own staff catalogue (ui/src/i18n/staff.ts says why). Re-renders with the header's
// language switch like `useI18n`.
import type { StaffMessages } from "../i18n/staff.ts";
import { useI18n } from "./i18n.ts";
import { staffMessagesFor } from "./staff-i18n-core.ts";

export { seconds, staffMessagesFor } from "./staff-i18n-core.ts";

/** The current language's staff messages. */
export function useStaffText(): StaffMessages {
  return staffMessagesFor(useI18n().locale);
}
