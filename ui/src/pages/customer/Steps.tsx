// Where the customer is in the flow. A finished journey ticks every step, the Result included.
import { useI18n } from "../../lib/i18n.ts";

export type StepName = "details" | "documents" | "call" | "result";

const STEPS = [
  ["details", "stepDetails"],
  ["documents", "stepDocuments"],
  ["call", "stepCall"],
  ["result", "stepResult"],
] as const;

export function Steps({ current, finished = false }: { current: StepName; finished?: boolean }) {
  const { t } = useI18n();
  const at = finished ? STEPS.length : STEPS.findIndex(([name]) => name === current);
  return (
    <ol class="steps" aria-label={t.progress}>
      {STEPS.map(([name, key], i) => (
        <li key={name} class={i < at ? "done" : i === at ? "current" : ""} aria-current={i === at ? "step" : undefined} data-step={name}>
          <span class="step-number" aria-hidden="true">
            {i < at ? "✓" : i + 1}
          </span>
          <span class="step-label">
            {t[key]}
            {i < at && <span class="sr-only"> ({t.stepDoneWord})</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}
