// Client-app integrations for managers: API keys (create, copy once, revoke) and webhooks (add,
// test, recent deliveries with status). The API is README "For client apps".
import { useEffect, useState } from "preact/hooks";
import type { z } from "zod";
import type { ApiKey, CreatedApiKey } from "../../../../worker/schemas/api-keys.ts";
import type { CreatedWebhook, Webhook, WebhookDelivery } from "../../../../worker/schemas/webhooks.ts";
import { api, describeError } from "../../lib/api.ts";
import { useStaffText } from "../../lib/staff-i18n.ts";

type Key = z.infer<typeof ApiKey>;
type Hook = z.infer<typeof Webhook>;
type Delivery = z.infer<typeof WebhookDelivery>;

const ALL_SCOPES = ["verifications:write", "verifications:read", "webhooks:manage"] as const;
const EVENTS = ["verification.submitted", "verification.call_started", "verification.decided", "verification.anchored"] as const;

/** A secret shown once, with a copy button; gone when the panel reloads. */
function ShownOnce({ label, value }: { label: string; value: string }) {
  const s = useStaffText();
  const [copied, setCopied] = useState(false);
  return (
    <p class="ok" role="status">
      {s.shownOnce(label)} <code data-testid="shown-once">{value}</code>{" "}
      <button type="button" onClick={() => navigator.clipboard?.writeText(value).then(() => setCopied(true))}>
        {copied ? s.copied : s.copy}
      </button>
    </p>
  );
}

function Keys({ onError }: { onError: (message: string | null) => void }) {
  const s = useStaffText();
  const [keys, setKeys] = useState<Key[]>([]);
  const [name, setName] = useState("");
  const [created, setCreated] = useState<string | null>(null);
  const load = () =>
    api<{ items: Key[] }>("/api-keys").then(
      (r) => setKeys(r.items),
      (err: unknown) => onError(describeError(err)),
    );
  useEffect(() => void load(), []);

  async function create(e: Event) {
    e.preventDefault();
    onError(null);
    try {
      const key = await api<z.infer<typeof CreatedApiKey>>("/api-keys", { method: "POST", json: { name, scopes: [...ALL_SCOPES] } });
      setCreated(key.key);
      setName("");
      await load();
    } catch (err) {
      onError(describeError(err));
    }
  }

  async function revoke(id: string) {
    onError(null);
    try {
      await api(`/api-keys/${id}`, { method: "DELETE" });
      await load();
    } catch (err) {
      onError(describeError(err));
    }
  }

  return (
    <div data-testid="api-keys">
      <h3>{s.apiKeys}</h3>
      <form onSubmit={create} class="actions">
        <label>
          {s.keyName} <input value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} required maxLength={100} />
        </label>
        <button type="submit" class="primary" disabled={!name.trim()}>
          {s.createKey}
        </button>
      </form>
      {created && <ShownOnce label={s.newKey} value={created} />}
      <ul>
        {keys.map((k) => (
          <li key={k.id}>
            <strong>{k.name}</strong> <code>{k.prefix}…</code> <span class="muted">{k.scopes.join(", ")}</span>{" "}
            <span class="muted">{k.last_used_at ? `used ${new Date(k.last_used_at).toLocaleString()}` : "never used"}</span>{" "}
            <button type="button" onClick={() => revoke(k.id)}>
              {s.revoke}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Hooks({ onError }: { onError: (message: string | null) => void }) {
  const s = useStaffText();
  const [hooks, setHooks] = useState<Hook[]>([]);
  const [url, setUrl] = useState("");
  const [secret, setSecret] = useState<string | null>(null);
  const [deliveries, setDeliveries] = useState<Record<string, Delivery[]>>({});
  const load = () =>
    api<{ items: Hook[] }>("/webhooks").then(
      (r) => setHooks(r.items),
      (err: unknown) => onError(describeError(err)),
    );
  useEffect(() => void load(), []);

  const run = async (action: () => Promise<unknown>) => {
    onError(null);
    try {
      await action();
    } catch (err) {
      onError(describeError(err));
    }
  };
  const showDeliveries = (id: string) =>
    run(async () => {
      const r = await api<{ items: Delivery[] }>(`/webhooks/${id}/deliveries?limit=10`);
      setDeliveries((d) => ({ ...d, [id]: r.items }));
    });

  return (
    <div data-testid="webhooks">
      <h3>{s.webhooks}</h3>
      <form
        class="actions"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const hook = await api<z.infer<typeof CreatedWebhook>>("/webhooks", { method: "POST", json: { url, events: [...EVENTS] } });
            setSecret(hook.secret);
            setUrl("");
            await load();
          });
        }}
      >
        <label>
          {s.webhookUrl} <input type="url" value={url} onInput={(e) => setUrl((e.target as HTMLInputElement).value)} required />
        </label>
        <button type="submit" class="primary" disabled={!url}>
          {s.addWebhook}
        </button>
      </form>
      {secret && <ShownOnce label={s.signingSecret} value={secret} />}
      <ul>
        {hooks.map((h) => (
          <li key={h.id}>
            <code>{h.url}</code>{" "}
            <button
              type="button"
              onClick={() => run(() => api(`/webhooks/${h.id}/test`, { method: "POST" }).then(() => showDeliveries(h.id)))}
            >
              {s.sendTest}
            </button>{" "}
            <button type="button" onClick={() => showDeliveries(h.id)}>
              {s.recentDeliveries}
            </button>{" "}
            <button type="button" onClick={() => run(() => api(`/webhooks/${h.id}`, { method: "DELETE" }).then(load))}>
              {s.deleteWebhook}
            </button>
            {deliveries[h.id] && (
              <table>
                <thead>
                  <tr>
                    <th>{s.colEvent}</th>
                    <th>{s.colStatus}</th>
                    <th>{s.colAttempts}</th>
                    <th>{s.colLastAnswer}</th>
                  </tr>
                </thead>
                <tbody>
                  {deliveries[h.id]!.map((d) => (
                    <tr key={d.id}>
                      <td>{d.event}</td>
                      <td>{d.status}</td>
                      <td>{d.attempts}</td>
                      <td>{d.last_status_code ?? d.last_error ?? s.dash}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function IntegrationsPanel() {
  const s = useStaffText();
  const [error, setError] = useState<string | null>(null);
  return (
    <section class="panel" aria-labelledby="integrations-title" data-testid="integrations">
      <h2 id="integrations-title">{s.integrations}</h2>
      <Keys onError={setError} />
      <Hooks onError={setError} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
