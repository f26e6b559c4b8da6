// Priorities are words on the wire and numbers in the rules: urgent (3) > high (2) >
// normal (1) > low (0).

export const PRIORITY_WORDS = ["low", "normal", "high", "urgent"] as const;
export type PriorityWord = (typeof PRIORITY_WORDS)[number];
export type PriorityLevel = 0 | 1 | 2 | 3;

export const URGENT: PriorityLevel = 3;
export const HIGH: PriorityLevel = 2;

export function levelOf(word: PriorityWord): PriorityLevel {
  return PRIORITY_WORDS.indexOf(word) as PriorityLevel;
}

export function wordOf(level: PriorityLevel): PriorityWord {
  return PRIORITY_WORDS[level];
}

/** One level up, at most urgent: how a call that has waited too long is escalated. */
export function escalate(level: PriorityLevel): PriorityLevel {
  return Math.min(URGENT, level + 1) as PriorityLevel;
}

/**
 * The priority of a manual request for a video call (API.md): a customer asking is urgent and may
 * not choose otherwise; staff may choose, else the verification keeps the priority its risk score
 * gave, else normal. Null when a customer asked for something other than urgent.
 */
export function requestedCallPriority(input: {
  customer: boolean;
  requested?: PriorityWord;
  scored: PriorityWord | null;
}): PriorityWord | null {
  if (input.customer) return input.requested === undefined || input.requested === "urgent" ? "urgent" : null;
  return input.requested ?? input.scored ?? "normal";
}
