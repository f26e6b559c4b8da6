// Step 3: the waiting room, live over the call's socket (place in line, estimated wait, the
// agent joining), then the video call itself. The socket stays open during the call so that
// the customer hears when the agent completes it. Honest while waiting: once the server's
// estimate has run out (an offer went unanswered and the call is offered again), the page says
// it is taking longer, with the place the server last sent, instead of "any moment now".
// During the call, leaving the page asks first; the call timer counts from the server's start.
import { useEffect, useState } from "preact/hooks";
import { ConnectionPill } from "../../components/ConnectionPill.tsx";
import { ErrorNote } from "../../components/ErrorNote.tsx";
import { VideoCall } from "../../components/VideoCall.tsx";
import { api } from "../../lib/api.ts";
import type { CallEnd } from "../../lib/call-session.ts";
import { useNow } from "../../lib/clock.ts";
import { waitingRoomFrame } from "../../lib/frames.ts";
import { useI18n } from "../../lib/i18n.ts";
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
  const { t, number, wait } = useI18n();
  const inCall = roomPath !== null && !callEnd;

  // Closing or reloading the tab mid-call ends the customer's side of it: ask first.
  useEffect(() => {
    if (!inCall) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = t.leaveCallWarning;
    };
    addEventListener("beforeunload", warn);
    return () => removeEventListener("beforeunload", warn);
  }, [inCall, t]);

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
            <h2>{t.youLeftCall}</h2>
            <p>{t.agentStillThere}</p>
            <button class="primary big" onClick={() => (setCallEnd(null), setRejoin((n) => n + 1))}>
              {t.rejoin}
            </button>
          </div>
        ) : (
          <VideoCall
            key={rejoin}
            roomPath={roomPath}
            offerer={false}
            peerLabel={agentName ?? t.yourAgent}
            onEnded={setCallEnd}
            startedAt={verification.call?.started_at}
          />
        )}
        <ErrorNote error={error} />
      </div>
    );
  }

  if (callEnd) {
    return (
      <div class="panel center" role="status">
        <h2>{t.callEnded}</h2>
        <p>{t.callEndedText}</p>
      </div>
    );
  }

  const remaining = place ? Math.max(0, place.estimateSeconds - (now - place.receivedAt) / 1000) : null;
  return (
    <div class="stack">
      <section class="panel waiting" aria-labelledby="waiting-title">
        <div class="panel-head">
          <h2 id="waiting-title">{agentName ? t.agentJoining(agentName) : t.inLine}</h2>
          <ConnectionPill state={state} />
        </div>
        <div aria-live="polite" class="waiting-status">
          {agentName ? (
            <p class="big-text">{t.getReady}</p>
          ) : place ? (
            <>
              <p class="big-text" data-testid="queue-position">
                {place.position <= 1 ? t.youAreNext : t.yourPlace(number(place.position))}
              </p>
              {remaining !== null && remaining > 0 ? (
                <p data-testid="queue-estimate">{t.estimatedWait(wait(remaining))}</p>
              ) : (
                <p data-testid="queue-estimate" data-overdue="true">
                  {t.longerThanEstimated}
                </p>
              )}
            </>
          ) : (
            <p>{t.findingPlace}</p>
          )}
        </div>
        <p class="muted">{t.keepOpen}</p>
      </section>
      <CameraCheck />
      <section class="panel">
        {confirmLeave ? (
          <div class="confirm" role="group" aria-label={t.leaveLineGroup}>
            <p>{t.leaveLineQuestion}</p>
            <div class="actions">
              <button class="danger big" onClick={() => void leave()}>
                {t.yesLeave}
              </button>
              <button class="secondary big" onClick={() => setConfirmLeave(false)}>
                {t.stayInLine}
              </button>
            </div>
          </div>
        ) : (
          <button class="secondary big" onClick={() => setConfirmLeave(true)}>
            {t.leaveLine}
          </button>
        )}
        <ErrorNote error={error} />
      </section>
    </div>
  );
}
