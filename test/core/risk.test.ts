import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LOW_RESOLUTION_BYTES, priorityFor, riskLevelFor, ruleBasedRisk } from "../../worker/core/risk.ts";
import type { RiskDocument, RiskInput } from "../../worker/core/risk.ts";

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const passport: RiskDocument = { doc_type: "passport", content_type: "image/jpeg", size: 400_000 };
const selfie: RiskDocument = { doc_type: "selfie", content_type: "image/jpeg", size: 300_000 };
const adult = { name: "Ada Lovelace", email: "ada@example.test", date_of_birth: "1990-05-17" };

const input = (overrides: Partial<RiskInput> = {}): RiskInput => ({
  documents: [passport, selfie],
  user_info: adult,
  reusedDocumentCount: 0,
  now: NOW,
  ...overrides,
});

describe("rule-based fraud score", () => {
  it("scores a complete, plausible verification low with no flags", () => {
    expect(ruleBasedRisk(input())).toEqual({ fraud_score: 0.05, risk_level: "low", flags: [] });
  });

  it("flags a verification without a government ID", () => {
    expect(ruleBasedRisk(input({ documents: [selfie] })).flags).toEqual(["no_identity_document"]);
  });

  it("counts a driver licence or an ID card as an identity document", () => {
    for (const doc_type of ["driver_license", "id_card"]) {
      expect(ruleBasedRisk(input({ documents: [{ ...passport, doc_type }, selfie] })).flags).toEqual([]);
    }
  });

  it("flags a missing selfie", () => {
    expect(ruleBasedRisk(input({ documents: [passport] })).flags).toEqual(["no_selfie"]);
  });

  it("flags a missing name and birth date when there is no user info", () => {
    expect(ruleBasedRisk(input({ user_info: null })).flags).toEqual(["missing_date_of_birth", "missing_name"]);
  });

  it.each(["2031-01-01", "1850-01-01", "1990-02-30", "17/05/1990"])("flags the birth date %s as implausible", (date_of_birth) => {
    expect(ruleBasedRisk(input({ user_info: { ...adult, date_of_birth } })).flags).toEqual(["implausible_date_of_birth"]);
  });

  it("flags a customer under 18, counting the birthday itself as reached", () => {
    expect(ruleBasedRisk(input({ user_info: { ...adult, date_of_birth: "2008-11-23" } })).flags).toEqual(["underage"]);
    expect(ruleBasedRisk(input({ user_info: { ...adult, date_of_birth: "2008-11-22" } })).flags).toEqual([]);
  });

  it("flags images too small to read, but not small PDFs", () => {
    const tiny = { ...passport, size: LOW_RESOLUTION_BYTES - 1 };
    expect(ruleBasedRisk(input({ documents: [tiny, selfie] })).flags).toEqual(["low_resolution_document"]);
    const pdf = { ...tiny, content_type: "application/pdf" };
    expect(ruleBasedRisk(input({ documents: [pdf, selfie] })).flags).toEqual([]);
  });

  it("scores a document reused by another customer high on its own", () => {
    const risk = ruleBasedRisk(input({ reusedDocumentCount: 1 }));
    expect(risk.flags).toEqual(["document_reused"]);
    expect(priorityFor(risk.fraud_score)).toBe("high");
  });

  it("lists the most telling flag first and caps the score at 1", () => {
    const risk = ruleBasedRisk(input({ documents: [], user_info: { date_of_birth: "2099-01-01" }, reusedDocumentCount: 2 }));
    expect(risk.flags).toEqual(["document_reused", "no_identity_document", "implausible_date_of_birth", "no_selfie", "missing_name"]);
    expect(risk).toMatchObject({ fraud_score: 1, risk_level: "critical" });
  });
});

describe("risk level and priority", () => {
  it.each([
    [0, "low", "low"],
    [0.39, "low", "low"],
    [0.4, "medium", "normal"],
    [0.69, "medium", "normal"],
    [0.7, "high", "high"],
    [0.89, "high", "high"],
    [0.9, "critical", "high"],
    [1, "critical", "high"],
  ] as const)("maps %s to level %s and priority %s", (score, level, priority) => {
    expect(riskLevelFor(score)).toBe(level);
    expect(priorityFor(score)).toBe(priority);
  });
});

const documentArb = fc.record({
  doc_type: fc.constantFrom("passport", "id_card", "driver_license", "selfie", "proof_of_address"),
  content_type: fc.constantFrom("image/jpeg", "image/png", "image/webp", "application/pdf"),
  size: fc.integer({ min: 1, max: 10 * 1024 * 1024 }),
});
const dateArb = fc
  .date({ min: new Date("1880-01-01T00:00:00Z"), max: new Date("2040-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const userInfoArb = fc.option(
  fc.record({ name: fc.string(), email: fc.string(), date_of_birth: fc.oneof(dateArb, fc.string()) }, { requiredKeys: [] }),
  { nil: null },
);
const inputArb = fc.record({
  documents: fc.array(documentArb, { maxLength: 6 }),
  user_info: userInfoArb,
  reusedDocumentCount: fc.nat({ max: 5 }),
  now: fc.constant(NOW),
});
const ORDER = { low: 0, medium: 1, high: 2, critical: 3, normal: 1 } as const;

describe("rule-based score properties", () => {
  it("always scores within [0, 1] with a level that matches the score", () => {
    fc.assert(
      fc.property(inputArb, (risk) => {
        const { fraud_score, risk_level } = ruleBasedRisk(risk);
        return fraud_score >= 0 && fraud_score <= 1 && risk_level === riskLevelFor(fraud_score);
      }),
    );
  });

  it("never raises the score when a missing identity document is added", () => {
    const isIdentity = (doc: RiskDocument) => ["passport", "id_card", "driver_license"].includes(doc.doc_type);
    const withoutIdentityArb = inputArb.chain((risk) =>
      fc
        .array(
          documentArb.filter((doc) => !isIdentity(doc)),
          { maxLength: 6 },
        )
        .map((documents) => ({ ...risk, documents })),
    );
    fc.assert(
      fc.property(withoutIdentityArb, documentArb.filter(isIdentity), (risk, identity) => {
        const added = { ...risk, documents: [...risk.documents, identity] };
        return ruleBasedRisk(added).fraud_score <= ruleBasedRisk(risk).fraud_score;
      }),
    );
  });

  it("maps higher scores to levels and priorities that are never lower", () => {
    const score = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(score, score, (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        return ORDER[riskLevelFor(low)] <= ORDER[riskLevelFor(high)] && ORDER[priorityFor(low)] <= ORDER[priorityFor(high)];
      }),
    );
  });
});
