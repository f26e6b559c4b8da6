// How the tenant's calls are matched to agents (GET / POST /video-calls/settings).
import { useEffect, useState } from "preact/hooks";
import type { z } from "zod";
import type { TenantSettings } from "../../../../worker/schemas/video-calls.ts";
import { api, describeError } from "../../lib/api.ts";
import { useStaffText } from "../../lib/staff-i18n.ts";
import type { StaffMessages } from "../../i18n/staff.ts";

type Settings = z.infer<typeof TenantSettings>;
type Strategy = Settings["assignment_strategy"];

/** Each strategy with its name and explanation in the staff catalogue. */
const STRATEGIES: Array<[Strategy, keyof StaffMessages & string, keyof StaffMessages & string]> = [
  ["score", "strategyScore", "strategyScoreHint"],
  ["longest-idle", "strategyLongestIdle", "strategyLongestIdleHint"],
  ["fewest-calls", "strategyFewestCalls", "strategyFewestCallsHint"],
];

export function StrategyPanel() {
  const [choice, setChoice] = useState<Strategy | null>(null);
  const [saved, setSaved] = useState<Strategy | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const text = useStaffText();
  const say = (key: keyof StaffMessages) => String(text[key]);

  useEffect(() => {
    api<Settings>("/video-calls/settings").then(
      (s) => (setSaved(s.assignment_strategy), setChoice((c) => c ?? s.assignment_strategy)),
      (err: unknown) => setError(describeError(err)),
    );
  }, []);

  const strategyName = (value: Strategy) => {
    const entry = STRATEGIES.find(([v]) => v === value);
    return entry ? say(entry[1]) : value;
  };

  async function save(e: Event) {
    e.preventDefault();
    if (!choice) return;
    setBusy(true);
    setError(null);
    try {
      setSaved(
        (await api<Settings>("/video-calls/settings", { method: "POST", json: { assignment_strategy: choice } })).assignment_strategy,
      );
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="panel" aria-labelledby="strategy-title">
      <h2 id="strategy-title">{text.assignmentStrategy}</h2>
      <form onSubmit={save}>
        <fieldset class="choices">
          <legend class="sr-only">{text.strategy}</legend>
          {STRATEGIES.map(([value, label, hint]) => (
            <label key={value} class="choice">
              <input type="radio" name="assignment_strategy" value={value} checked={choice === value} onChange={() => setChoice(value)} />
              <span>
                <strong>{say(label)}</strong>
                <span class="muted"> {say(hint)}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit" class="primary" disabled={!choice || busy || choice === saved}>
            {busy ? text.saving : text.apply}
          </button>
          <span role="status" class="ok">
            {saved && text.inUse(strategyName(saved))}
          </span>
        </div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
