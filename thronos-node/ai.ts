// The local ai_core node's answers (THRONOS.md "AI fraud scoring"). No model: the score is a
// deterministic function of the payload, so the same verification always scores the same, and a
// `[local-ai-score=NN]` marker in any string of the payload forces NN so that demos and tests can
// ask for high or low risk without sharing state with the node.
import type { NodeAnswer } from "./chain.ts";

const MARKER = /\[local-ai-score=(\d{1,3})\]/;

/** The real node takes the key in `X-API-Key` or as `Authorization: Bearer <key>`. */
export function isAuthorized(apiKey: string | undefined, authorization: string | undefined, key: string): boolean {
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  return apiKey === key || bearer === key;
}

export const unauthorizedAnswer: NodeAnswer = { status: 401, body: { error: "unauthorized" } };

/** The fake-50 answer the real node gives when its language model is down, raw error text included. */
export const aiUnavailableAnswer: NodeAnswer = {
  status: 200,
  body: {
    fraud_score: 50,
    risk_level: "medium",
    explanation:
      "AI unavailable: HTTPConnectionPool(host='127.0.0.1', port=11434): Max retries exceeded with url: /api/generate " +
      "(Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f3a2c1e5d90>: " +
      "Failed to establish a new connection: [Errno 111] Connection refused'))",
    flags: [],
  },
};

function markedScore(value: unknown): number | undefined {
  if (typeof value === "string") {
    const match = value.match(MARKER);
    return match ? Math.min(100, Number(match[1])) : undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  for (const item of Object.values(value)) {
    const score = markedScore(item);
    if (score !== undefined) return score;
  }
  return undefined;
}

/** FNV-1a over the payload's JSON: stable across runs and machines, unlike a random score. */
function payloadHash(payload: unknown): number {
  let h = 0x811c9dc5;
  for (const ch of JSON.stringify(payload) ?? "") {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const levelOf = (score: number) => (score < 40 ? "low" : score < 70 ? "medium" : score < 90 ? "high" : "critical");

/** `POST /v1/fraud/document` for an authorized caller: a 0..100 score without an `ok` field. */
export function fraudAnswer(payload: unknown): NodeAnswer {
  const marked = markedScore(payload);
  const fraud_score = marked ?? 5 + (payloadHash(payload) % 30);
  return {
    status: 200,
    body: {
      fraud_score,
      risk_level: levelOf(fraud_score),
      explanation:
        marked === undefined
          ? "Local Thronos AI stand-in: deterministic score derived from the submitted metadata."
          : "Local Thronos AI stand-in: score requested by a [local-ai-score] marker.",
      flags: fraud_score >= 70 ? ["elevated_risk"] : [],
    },
  };
}
