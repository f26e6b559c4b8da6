import type { Priority } from "../lib/format.ts";

/** A call's priority as a coloured word (the colour is never the only signal). */
export function PriorityBadge({ priority }: { priority: Priority }) {
  return <span class={`badge ${priority}`}>{priority}</span>;
}
