// Step 3: the waiting room, live over the call's socket (place in line, estimated wait, the
// agent joining), then the video call itself. The socket stays open during the call so that
// the customer hears when the agent completes it.
import { useState } from "preact/hooks";
import { ConnectionPill } from "../../components/ConnectionPill.tsx";
import { ErrorNote } from "../../components/ErrorNote.tsx";
import { VideoCall } from "../../components/VideoCall.tsx";
import { api } from "../../lib/api.ts";
import type { CallEnd } from "../../lib/call-session.ts";
import { useNow } from "../../lib/clock.ts";
import { friendlyWait } from "../../lib/format.ts";
import { waitingRoomFrame } from "../../lib/frames.ts";
import { useLiveSocket } from "../../lib/socket.ts";
import type { Verification } from "../../lib/verifications.ts";
import { CameraCheck } from "./CameraCheck.tsx";

type Place = { position: number; estimateSeconds: number; receivedAt: number };

export function WaitingRoom({ verification, onChanged }: { verification: Verification; onChanged: () => Promise<void> }) {
  const callId = verification.call!.id;
  const [place, setPlace] = useState<Place | null>(null);
  const [agentName, setAgentName] = useState<string | null>(null);
  const [roomPath, setRoomPath] = useState<string | null>(null);
  const [callEnd, setCallEnd] = useState<CallEnd | null>(null);
  const [rejoin, setRejoin] = useState(0);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const now = useNow();

  const state = useLiveSocket(`/api/v1/video-calls/${callId}/ws`, waitingRoomFrame, (message) => {
    switch (message.type) {
      case "position_update":
        return setPlace({ position: message.position_in_queue, estimateSeconds: message.estimated_wait_seconds, receivedAt: Date.now() });
      case "call_assigned":
        return setAgentName(message.agent_name);
      case "call_started":
        setCallEnd(null);
        return setRoomPath(message.room_ws_url);
      case "call_cancelled":
      case "call_completed":
        return void onChanged();
      case "error":
        return setError(new Error(message.message));
    }
  });

  async function leave() {
    setError(null);
    try {
      await api(`/video-calls/${callId}/cancel`, { method: "POST" });
      await onChanged();
    } catch (err) {
      setError(err);
    }
  }

  if (roomPath && (!callEnd || callEnd.by === "me")) {
    return (
      <div class="stack">
        {callEnd ? (
          <div class="panel center">
            <h2>You left the call</h2>
            <p>Your agent is still there. Rejoin to finish your verification.</p>
            <button class="primary big" onClick={() => (setCallEnd(null), setRejoin((n) => n + 1))}>
              Rejoin the call
            </button>
          </div>
        ) : (
          <VideoCall key={rejoin} roomPath={roomPath} offerer={false} peerLabel={agentName ?? "your agent"} onEnded={setCallEnd} />
        )}
        <ErrorNote error={error} />
      </div>
    );
  }

  if (callEnd) {
    return (
      <div class="panel center" role="status">
        <h2>The call has ended</h2>
        <p>Thank you. Your agent is recording the result; it will appear here in a moment.</p>
      </div>
    );
  }

  const remaining = place ? Math.max(0, place.estimateSeconds - (now - place.receivedAt) / 1000) : null;
  return (
    <div class="stack">
      <section class="panel waiting" aria-labelledby="waiting-title">
        <div class="panel-head">
          <h2 id="waiting-title">{agentName ? `${agentName} is joining your call` : "You're in line for a video call"}</h2>
          <ConnectionPill state={state} />
        </div>
        <div aria-live="polite" class="waiting-status">
          {agentName ? (
            <p class="big-text">Get ready: the call starts in a moment.</p>
          ) : place ? (
            <>
              <p class="big-text" data-testid="queue-position">
                {place.position <= 1 ? "You're next" : `You're number ${place.position} in line`}
              </p>
              <p>Estimated wait: {remaining !== null && remaining > 0 ? friendlyWait(remaining) : "any moment now"}</p>
            </>
          ) : (
            <p>Finding your place in line…</p>
          )}
        </div>
        <p class="muted">Keep this page open. Have your ID document with you and find a quiet, well-lit place.</p>
      </section>
      <CameraCheck />
      <section class="panel">
        {confirmLeave ? (
          <div class="confirm" role="group" aria-label="Leave the queue?">
            <p>Leave the line? You will lose your place.</p>
            <div class="actions">
              <button class="danger big" onClick={() => void leave()}>
                Yes, leave
              </button>
              <button class="secondary big" onClick={() => setConfirmLeave(false)}>
                Stay in line
              </button>
            </div>
          </div>
        ) : (
          <button class="secondary big" onClick={() => setConfirmLeave(true)}>
            Leave the line
          </button>
        )}
        <ErrorNote error={error} />
      </section>
    </div>
  );
}
