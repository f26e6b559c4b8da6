// Where the customer is in the flow.
export type StepName = "details" | "documents" | "call" | "result";

const STEPS: Array<[StepName, string]> = [
  ["details", "Your details"],
  ["documents", "Documents"],
  ["call", "Video call"],
  ["result", "Result"],
];

export function Steps({ current }: { current: StepName }) {
  const at = STEPS.findIndex(([name]) => name === current);
  return (
    <ol class="steps" aria-label="Progress">
      {STEPS.map(([name, label], i) => (
        <li key={name} class={i < at ? "done" : i === at ? "current" : ""} aria-current={i === at ? "step" : undefined}>
          <span class="step-number" aria-hidden="true">
            {i < at ? "✓" : i + 1}
          </span>
          <span class="step-label">{label}</span>
        </li>
      ))}
    </ol>
  );
}
