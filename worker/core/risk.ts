// The rule-based fraud score: what we say about a verification when the Thronos AI core gives
// no usable answer, and the mappings from any score (AI or rules) to a risk level and a queue
// priority. Pure: plain data in, plain data out; the caller says which source produced a score.
import type { FraudAnalysis } from "../schemas/verifications.ts";
import type { PriorityWord } from "./priority.ts";

export type RiskLevel = FraudAnalysis["risk_level"];

export type RiskDocument = { doc_type: string; content_type: string; size: number };
export type RiskUserInfo = { name?: string; email?: string; date_of_birth?: string };

export type RiskInput = {
  documents: readonly RiskDocument[];
  user_info: RiskUserInfo | null;
  /** How many of these documents' hashes already appear in another customer's verification. */
  reusedDocumentCount: number;
  /** Milliseconds since the epoch: the date ages are computed at. */
  now: number;
};

export type RuleRisk = { fraud_score: number; risk_level: RiskLevel; flags: string[] };

const IDENTITY_DOCUMENTS = new Set(["passport", "id_card", "driver_license"]);
/** Below this an image cannot show a legible ID (a phone photo of a card is 100 KB and up). */
export const LOW_RESOLUTION_BYTES = 20 * 1024;
const ADULT_AGE = 18;
const OLDEST_PLAUSIBLE_AGE = 120;

// Weights add up from a small base: no evidence at all is never a perfect score.
const BASE_SCORE = 0.05;
const WEIGHTS = {
  // The same document bytes under another customer's identity: the strongest sign of a forged
  // or shared document, and on its own enough for a high-priority call.
  document_reused: 0.65,
  // Without a government ID there is nothing to check the person against.
  no_identity_document: 0.35,
  // A date that cannot be a real birth date is a typo at best, a fabricated identity at worst.
  implausible_date_of_birth: 0.25,
  // Minors cannot open the accounts we verify for; a minor's ID is a red flag, not a customer.
  underage: 0.2,
  // Without a selfie the agent cannot match the face on the ID before the call.
  no_selfie: 0.15,
  // An age cannot be checked without a birth date.
  missing_date_of_birth: 0.1,
  // A tiny image is too small to read or check for tampering.
  low_resolution_document: 0.1,
  // The name on the ID cannot be compared with a name we were never given.
  missing_name: 0.05,
} as const;
export type RiskFlag = keyof typeof WEIGHTS;

/** Whole years between an ISO date (YYYY-MM-DD) and `now`, or null if it is not a real date. */
function ageAt(dateOfBirth: string, now: number): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const born = new Date(Date.UTC(year, month - 1, day));
  if (born.getUTCFullYear() !== year || born.getUTCMonth() !== month - 1 || born.getUTCDate() !== day) return null;
  const today = new Date(now);
  const hadBirthday = today.getUTCMonth() > month - 1 || (today.getUTCMonth() === month - 1 && today.getUTCDate() >= day);
  return today.getUTCFullYear() - year - (hadBirthday ? 0 : 1);
}

function dateOfBirthFlags(userInfo: RiskUserInfo | null, now: number): RiskFlag[] {
  const dateOfBirth = userInfo?.date_of_birth;
  if (!dateOfBirth) return ["missing_date_of_birth"];
  const age = ageAt(dateOfBirth, now);
  if (age === null || age < 0 || age > OLDEST_PLAUSIBLE_AGE) return ["implausible_date_of_birth"];
  return age < ADULT_AGE ? ["underage"] : [];
}

/** The flags the rules raise for a verification, in a stable order. */
export function riskFlags(input: RiskInput): RiskFlag[] {
  const { documents, user_info, reusedDocumentCount, now } = input;
  const flags: RiskFlag[] = [];
  if (reusedDocumentCount > 0) flags.push("document_reused");
  if (!documents.some((doc) => IDENTITY_DOCUMENTS.has(doc.doc_type))) flags.push("no_identity_document");
  flags.push(...dateOfBirthFlags(user_info, now));
  if (!documents.some((doc) => doc.doc_type === "selfie")) flags.push("no_selfie");
  if (documents.some((doc) => doc.content_type.startsWith("image/") && doc.size < LOW_RESOLUTION_BYTES)) {
    flags.push("low_resolution_document");
  }
  if (!user_info?.name?.trim()) flags.push("missing_name");
  return flags.sort((a, b) => WEIGHTS[b] - WEIGHTS[a]);
}

/** The rule-based fraud score (0..1, two decimals) with its level and the flags behind it. */
export function ruleBasedRisk(input: RiskInput): RuleRisk {
  const flags = riskFlags(input);
  const raw = flags.reduce((sum, flag) => sum + WEIGHTS[flag], BASE_SCORE);
  const fraud_score = Math.min(1, Math.max(0, Math.round(raw * 100) / 100));
  return { fraud_score, risk_level: riskLevelFor(fraud_score), flags };
}

/** Risk level for a 0..1 score: below 0.4 low, below 0.7 medium, below 0.9 high, else critical. */
export function riskLevelFor(score: number): RiskLevel {
  if (score < 0.4) return "low";
  if (score < 0.7) return "medium";
  if (score < 0.9) return "high";
  return "critical";
}

/** Queue priority for a 0..1 score (API.md): from 0.7 high, from 0.4 normal, else low. */
export function priorityFor(score: number): Exclude<PriorityWord, "urgent"> {
  if (score >= 0.7) return "high";
  if (score >= 0.4) return "normal";
  return "low";
}
