// Words and numbers as people read them: durations, ages, sizes, priorities, risk.
import type { AgentView, CallView } from "../../../worker/schemas/messages.ts";

export type Priority = CallView["priority"];

export const PRIORITY_RANK: Record<Priority, number> = { urgent: 3, high: 2, normal: 1, low: 0 };

/** A clock-style duration for staff: 0:42, 12:05, 1:02:09. */
export function clockDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** A gentle estimate for customers: "less than a minute", "about 3 minutes". */
export function friendlyWait(seconds: number): string {
  if (seconds < 60) return "less than a minute";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return minutes === 1 ? "about 1 minute" : `about ${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return hours === 1 ? "about an hour" : `about ${hours} hours`;
}

/** How long ago `iso` was, compactly: "12 s ago", "4 min ago", "2 h ago". */
export function ago(iso: string | null | undefined, now: number): string {
  if (!iso) return "never";
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export const DOC_TYPE_LABEL: Record<string, string> = {
  passport: "Passport",
  id_card: "ID card",
  driver_license: "Driver's licence",
  selfie: "Selfie",
  proof_of_address: "Proof of address",
};

export const docTypeLabel = (type: string) => DOC_TYPE_LABEL[type] ?? type.replace(/_/g, " ");

/** A fraud score (0..1) as staff read it: two decimals. */
export const score = (value: number | null | undefined) => (value == null ? "–" : value.toFixed(2));

/** Seconds between two instants, or since `from` when still running. */
export function secondsBetween(from: string | undefined, to: string | undefined, now: number): number {
  if (!from) return 0;
  return Math.max(0, Math.round(((to ? Date.parse(to) : now) - Date.parse(from)) / 1000));
}

/** Orders calls as the queue does: priority first, then the oldest. */
export function byQueueOrder(a: CallView, b: CallView): number {
  return PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] || Date.parse(a.created_at) - Date.parse(b.created_at);
}

/** An agent's skills as staff read them: `lang:de 3 · doc:residence_permit 1`, best first; "" for none. */
export function skillSummary(skills: AgentView["skills"]): string {
  const entries = Object.entries(skills ?? {}).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  return entries.map(([name, level]) => `${name} ${level}`).join(" · ");
}
