// AI scoring against the real local ai_core node: its score when it gives one, otherwise the
// rule-based score with the reason, and never the node's explanation text.
import { beforeEach, describe, expect, it } from "vitest";
import { ruleBasedRisk } from "../../worker/core/risk.ts";
import { scoreRisk } from "../../worker/services/thronos/ai-client.ts";
import type { ScoreInput } from "../../worker/services/thronos/ai-client.ts";
import { injectFault, randomHash, requestsTo, resetNodes, testConfig } from "./support/control.ts";

beforeEach(async () => {
  await resetNodes();
});

const input = (name = "Ada Lovelace"): ScoreInput => ({
  documents: [
    { doc_type: "passport", content_type: "image/png", size: 2048, document_hash: randomHash() },
    { doc_type: "selfie", content_type: "image/jpeg", size: 250_000, document_hash: randomHash() },
  ],
  user_info: { name, email: "ada@example.test", date_of_birth: "1990-05-17" },
  reusedDocumentCount: 0,
  now: Date.UTC(2026, 10, 22),
});

const ruleBased = (scored: ScoreInput) => ({ ...ruleBasedRisk(scored), risk_source: "rule_based" });

describe("scoreRisk", () => {
  it("uses the AI core's score, scaled from 0..100 to 0..1", async () => {
    const result = await scoreRisk(testConfig(), input("Ada Lovelace [local-ai-score=83]"));
    expect(result).toEqual({ fraud_score: 0.83, risk_level: "high", flags: ["elevated_risk"], risk_source: "ai_core" });
  });

  it("scores the same verification the same way twice", async () => {
    const scored = input();
    const first = await scoreRisk(testConfig(), scored);
    expect(first.risk_source).toBe("ai_core");
    expect(await scoreRisk(testConfig(), scored)).toEqual(first);
  });

  it("falls back to the rules when the AI core is slower than its timeout, in one attempt", async () => {
    await injectFault({ node: "ai_core", mode: "slow", delay_ms: 3000 });
    const scored = input();
    const result = await scoreRisk(testConfig({ aiTimeoutMs: 200 }), scored);
    expect(result).toEqual({ ...ruleBased(scored), fallback_reason: "timeout" });
    expect(await requestsTo("/v1/fraud/document")).toHaveLength(1);
  });

  it("falls back to the rules when the AI core answers 503", async () => {
    await injectFault({ node: "ai_core", mode: "error", status: 503 });
    const scored = input();
    expect(await scoreRisk(testConfig(), scored)).toEqual({ ...ruleBased(scored), fallback_reason: "http_error" });
  });

  it("falls back to the rules when the AI core refuses connections", async () => {
    await injectFault({ node: "ai_core", mode: "refuse" });
    const scored = input();
    expect(await scoreRisk(testConfig(), scored)).toEqual({ ...ruleBased(scored), fallback_reason: "unreachable" });
  });

  it("falls back to the rules when the key is wrong (401)", async () => {
    const scored = input();
    expect(await scoreRisk(testConfig({ aiKey: "not-the-key" }), scored)).toEqual({
      ...ruleBased(scored),
      fallback_reason: "unauthorized",
    });
    expect(await requestsTo("/v1/fraud/document")).toEqual([{ node: "ai_core", status: 401 }]);
  });

  it("treats the fake-50 'AI unavailable' answer as no answer and never passes its text on", async () => {
    await injectFault({ node: "ai_core", mode: "ai_unavailable" });
    const scored = input();
    const result = await scoreRisk(testConfig(), scored);
    expect(result).toEqual({ ...ruleBased(scored), fallback_reason: "ai_unavailable" });
    expect(JSON.stringify(result)).not.toMatch(/unavailable:|HTTPConnectionPool|Errno/);
  });
});
