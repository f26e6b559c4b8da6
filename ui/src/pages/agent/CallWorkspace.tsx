// One call on the desk: who the customer is and what the checks said, the video call (this
// side makes the offer), the documents, and the decision form.
import { useEffect, useState } from "preact/hooks";
import type { z } from "zod";
import type { CallView } from "../../../../worker/schemas/messages.ts";
import type { StartResponse } from "../../../../worker/schemas/video-calls.ts";
import { ErrorNote } from "../../components/ErrorNote.tsx";
import { PriorityBadge } from "../../components/PriorityBadge.tsx";
import { VideoCall } from "../../components/VideoCall.tsx";
import { api } from "../../lib/api.ts";
import { score } from "../../lib/format.ts";
import type { Verification } from "../../lib/verifications.ts";
import { CompleteForm, type CompleteResult } from "./CompleteForm.tsx";
import { DocumentViewer } from "./DocumentViewer.tsx";
import { useStaffText } from "../../lib/staff-i18n.ts";

export type Completion = { callId: string; userName: string; decision: string; result: CompleteResult };

type Props = { call: CallView; onCompleted: (completion: Completion) => void };

export function CallWorkspace({ call, onCompleted }: Props) {
  const [verification, setVerification] = useState<Verification | null>(null);
  const [roomPath, setRoomPath] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const s = useStaffText();

  useEffect(() => {
    setVerification(null);
    setRoomPath(null);
    api<Verification>(`/verifications/${call.verification_id}`).then(setVerification, setError);
  }, [call.id]);

  async function start() {
    setStarting(true);
    setError(null);
    try {
      setRoomPath((await api<z.infer<typeof StartResponse>>(`/video-calls/${call.id}/start`, { method: "POST" })).room_ws_url);
    } catch (err) {
      setError(err);
    } finally {
      setStarting(false);
    }
  }

  // A call already in progress (a reload, another tab) rejoins its room at once.
  useEffect(() => {
    if (call.status === "in_progress" && !roomPath && !starting) void start();
  }, [call.id, call.status]);

  const info = verification?.user_info;
  const analysis = verification?.fraud_analysis;
  return (
    <section class="workspace" aria-labelledby="workspace-title" data-call-id={call.id} data-call-status={call.status}>
      <header class="workspace-head">
        <h2 id="workspace-title">
          <PriorityBadge priority={call.priority} /> {info?.name ?? call.user_name}
        </h2>
        <dl class="facts">
          {info?.date_of_birth && (
            <>
              <dt>{s.born}</dt>
              <dd>{info.date_of_birth}</dd>
            </>
          )}
          {info?.email && (
            <>
              <dt>{s.email}</dt>
              <dd>{info.email}</dd>
            </>
          )}
          <dt>{s.fraudScore}</dt>
          <dd>
            {score(analysis?.fraud_score ?? call.fraud_score)}
            {analysis && ` (${analysis.risk_level}${analysis.risk_source === "rule_based" ? `, ${s.rulesFallback}` : ""})`}
          </dd>
          {analysis && analysis.flags.length > 0 && (
            <>
              <dt>{s.flags}</dt>
              <dd>{analysis.flags.map((f) => f.replace(/_/g, " ")).join(", ")}</dd>
            </>
          )}
        </dl>
      </header>
      <ErrorNote error={error} />
      <div class="workspace-grid">
        <div class="workspace-call">
          {roomPath ? (
            <VideoCall roomPath={roomPath} offerer peerLabel={call.user_name} compact />
          ) : (
            <div class="call-start">
              <p>{s.toldYouAreJoining(call.user_name)}</p>
              <button class="primary big" disabled={starting} onClick={() => void start()}>
                {starting ? s.starting : s.startVideoCall}
              </button>
            </div>
          )}
          <CompleteForm
            call={call}
            onCompleted={(result, decision) => onCompleted({ callId: call.id, userName: info?.name ?? call.user_name, decision, result })}
          />
        </div>
        <div class="workspace-docs">
          <h3>{s.documents}</h3>
          {verification ? <DocumentViewer documents={verification.documents} /> : <p class="muted">{s.loading}</p>}
        </div>
      </div>
    </section>
  );
}
