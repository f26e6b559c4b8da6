// How the tenant's calls are matched to agents (GET / POST /video-calls/settings).
import { useEffect, useState } from "preact/hooks";
import type { z } from "zod";
import type { TenantSettings } from "../../../../worker/schemas/video-calls.ts";
import { api, describeError } from "../../lib/api.ts";

type Settings = z.infer<typeof TenantSettings>;
type Strategy = Settings["assignment_strategy"];

const STRATEGIES: Array<[Strategy, string, string]> = [
  ["score", "Best score", "Weighs load, efficiency and experience; urgent and high calls favour strong agents."],
  ["longest-idle", "Longest idle", "The agent who has waited longest for a call gets the next one."],
  ["fewest-calls", "Fewest calls", "Spreads calls evenly over the day."],
];

export function StrategyPanel() {
  const [choice, setChoice] = useState<Strategy | null>(null);
  const [saved, setSaved] = useState<Strategy | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<Settings>("/video-calls/settings").then(
      (s) => (setSaved(s.assignment_strategy), setChoice((c) => c ?? s.assignment_strategy)),
      (err: unknown) => setError(describeError(err)),
    );
  }, []);

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
      <h2 id="strategy-title">Assignment strategy</h2>
      <form onSubmit={save}>
        <fieldset class="choices">
          <legend class="sr-only">Strategy</legend>
          {STRATEGIES.map(([value, label, hint]) => (
            <label key={value} class="choice">
              <input type="radio" name="assignment_strategy" value={value} checked={choice === value} onChange={() => setChoice(value)} />
              <span>
                <strong>{label}</strong>
                <span class="muted"> {hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit" class="primary" disabled={!choice || busy || choice === saved}>
            {busy ? "Saving…" : "Apply"}
          </button>
          <span role="status" class="ok">
            {saved && `In use: ${STRATEGIES.find(([v]) => v === saved)?.[1] ?? saved}`}
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
