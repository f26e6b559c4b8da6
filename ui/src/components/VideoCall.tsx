// The video call itself, for agents and customers alike: the peer's video large, the local
// preview small, mute / camera / hang-up controls, and the connection state as text and as
// `data-connection-state` (which the browser tests wait for).
import { useEffect, useRef, useState } from "preact/hooks";
import { CallSession, type CallEnd, type CallSnapshot } from "../lib/call-session.ts";
import { useNow } from "../lib/clock.ts";
import { clockDuration } from "../lib/format.ts";
import { useI18n, type I18n } from "../lib/i18n.ts";
import { openCameraAndMic } from "../lib/media.ts";

type Props = {
  roomPath: string;
  offerer: boolean;
  /** Who the other person is, for "Waiting for …" before the room says. */
  peerLabel: string;
  onEnded?: (end: CallEnd) => void;
  /** Compact layout for the agent desk. */
  compact?: boolean;
  /** When the call started (the server's `started_at`): the timer counts from it, so a reload keeps it. */
  startedAt?: string | undefined;
};

function Video({ stream, muted, label, mirrored }: { stream: MediaStream | null; muted: boolean; label: string; mirrored?: boolean }) {
  const { t } = useI18n();
  const ref = useRef<HTMLVideoElement>(null);
  const [blocked, setBlocked] = useState(false);
  useEffect(() => {
    const video = ref.current;
    if (!video || video.srcObject === stream) return;
    video.srcObject = stream;
    // Autoplay with sound can be refused without a recent tap; offer a button then.
    if (stream)
      video.play().then(
        () => setBlocked(false),
        () => setBlocked(!muted),
      );
  }, [stream, muted]);
  return (
    <div class={`video ${mirrored ? "mirrored" : ""}`}>
      <video ref={ref} autoplay playsinline muted={muted} aria-label={label} />
      {blocked && (
        <button class="play-sound" onClick={() => ref.current?.play().then(() => setBlocked(false))}>
          {t.tapToHear}
        </button>
      )}
    </div>
  );
}

function statusText(snapshot: CallSnapshot, peerLabel: string, t: I18n["t"]): string {
  const peer = snapshot.peer?.name ?? peerLabel;
  if (snapshot.ended) return t.callStatusEnded;
  if (snapshot.socket === "reconnecting") return t.callStatusReconnecting;
  if (!snapshot.peer?.connected) return snapshot.connectedAt ? t.callStatusPeerLeft(peer) : t.callStatusWaitingPeer(peer);
  switch (snapshot.connection) {
    case "connected":
      return t.callStatusConnected(peer);
    case "disconnected":
      return t.callStatusUnstable;
    case "failed":
      return t.callStatusFailed;
    default:
      return t.callStatusConnecting(peer);
  }
}

export function VideoCall({ roomPath, offerer, peerLabel, onEnded, compact, startedAt }: Props) {
  const { t } = useI18n();
  const [local, setLocal] = useState<MediaStream | null>(null);
  const [mediaError, setMediaError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [snapshot, setSnapshot] = useState<CallSnapshot | null>(null);
  const [micOn, setMicOn] = useState(true);
  const [cameraOn, setCameraOn] = useState(true);
  const session = useRef<CallSession | null>(null);
  const ended = useRef(onEnded);
  ended.current = onEnded;
  const now = useNow();

  // Camera first (so the room never waits on a permission prompt), then the room.
  useEffect(() => {
    let stream: MediaStream | null = null;
    let call: CallSession | null = null;
    let cancelled = false;
    setMediaError(null);
    openCameraAndMic()
      .then((s) => {
        stream = s;
        return s;
      })
      .catch((err: unknown) => {
        setMediaError(err instanceof Error ? err.message : String(err));
        return null;
      })
      .then((s) => {
        if (cancelled) return s?.getTracks().forEach((t) => t.stop());
        setLocal(s);
        call = new CallSession({
          roomPath,
          offerer,
          localStream: s,
          onChange: (snap) => {
            setSnapshot(snap);
            if (snap.ended) ended.current?.(snap.ended);
          },
        });
        session.current = call;
      });
    return () => {
      cancelled = true;
      call?.dispose();
      session.current = null;
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [roomPath, offerer, attempt]);

  const toggle = (kind: "audio" | "video", on: boolean) => {
    local
      ?.getTracks()
      .filter((t) => t.kind === kind)
      .forEach((t) => (t.enabled = on));
    if (kind === "audio") setMicOn(on);
    else setCameraOn(on);
  };

  const state = snapshot?.ended ? "ended" : (snapshot?.connection ?? "new");
  // From the server's start when known (survives a reload), else from this page's first connection.
  const since = snapshot?.connectedAt ? Math.min(snapshot.connectedAt, startedAt ? Date.parse(startedAt) || Infinity : Infinity) : null;
  const connectedFor = since ? clockDuration((now - since) / 1000) : null;
  return (
    <section class={`call ${compact ? "compact" : ""}`} data-connection-state={state} aria-label={t.videoCall}>
      <div class="call-stage">
        <Video stream={snapshot?.remoteStream ?? null} muted={false} label={t.peerVideo(snapshot?.peer?.name ?? peerLabel)} />
        {!snapshot?.remoteStream && <div class="call-placeholder">{snapshot?.peer?.name ?? peerLabel}</div>}
        <div class="call-self">
          <Video stream={local} muted label={t.yourCamera} mirrored />
          {!cameraOn && <span class="camera-off">{t.cameraOff}</span>}
        </div>
        {connectedFor && (
          <span class="call-timer" aria-label={t.callDuration}>
            {connectedFor}
          </span>
        )}
      </div>
      <p class={`call-status ${state}`} role="status" aria-live="polite">
        {snapshot ? statusText(snapshot, peerLabel, t) : t.startingCamera}
      </p>
      {mediaError && (
        <div class="notice error" role="alert">
          <p>{mediaError}</p>
          <button class="secondary" onClick={() => setAttempt((a) => a + 1)}>
            {t.tryCameraAgain}
          </button>
        </div>
      )}
      {snapshot?.error && <p class="error">{snapshot.error}</p>}
      {!snapshot?.ended && (
        <div class="call-controls">
          <button class="secondary" aria-pressed={!micOn} disabled={!local} onClick={() => toggle("audio", !micOn)}>
            {micOn ? t.mute : t.unmute}
          </button>
          <button class="secondary" aria-pressed={!cameraOn} disabled={!local} onClick={() => toggle("video", !cameraOn)}>
            {cameraOn ? t.stopCamera : t.startCamera}
          </button>
          <button class="danger" onClick={() => session.current?.hangUp()} disabled={!snapshot}>
            {t.hangUp}
          </button>
        </div>
      )}
    </section>
  );
}
