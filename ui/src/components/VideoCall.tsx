// The video call itself, for agents and customers alike: the peer's video large, the local
// preview small, mute / camera / hang-up controls, and the connection state as text and as
// `data-connection-state` (which the browser tests wait for).
import { useEffect, useRef, useState } from "preact/hooks";
import { CallSession, type CallEnd, type CallSnapshot } from "../lib/call-session.ts";
import { useNow } from "../lib/clock.ts";
import { clockDuration } from "../lib/format.ts";
import { openCameraAndMic } from "../lib/media.ts";

type Props = {
  roomPath: string;
  offerer: boolean;
  /** Who the other person is, for "Waiting for …" before the room says. */
  peerLabel: string;
  onEnded?: (end: CallEnd) => void;
  /** Compact layout for the agent desk. */
  compact?: boolean;
};

function Video({ stream, muted, label, mirrored }: { stream: MediaStream | null; muted: boolean; label: string; mirrored?: boolean }) {
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
          Tap to hear the call
        </button>
      )}
    </div>
  );
}

function statusText(snapshot: CallSnapshot, peerLabel: string): string {
  const peer = snapshot.peer?.name ?? peerLabel;
  if (snapshot.ended) return "The call has ended.";
  if (snapshot.socket === "reconnecting") return "Connection to the call lost. Reconnecting…";
  if (!snapshot.peer?.connected)
    return snapshot.connectedAt ? `${peer} left the call. Waiting for them to come back…` : `Waiting for ${peer} to join…`;
  switch (snapshot.connection) {
    case "connected":
      return `Connected with ${peer}`;
    case "disconnected":
      return "The connection is unstable. Trying to recover…";
    case "failed":
      return "The connection failed. Reconnecting…";
    default:
      return `Connecting to ${peer}…`;
  }
}

export function VideoCall({ roomPath, offerer, peerLabel, onEnded, compact }: Props) {
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
  const connectedFor = snapshot?.connectedAt ? clockDuration((now - snapshot.connectedAt) / 1000) : null;
  return (
    <section class={`call ${compact ? "compact" : ""}`} data-connection-state={state} aria-label="Video call">
      <div class="call-stage">
        <Video stream={snapshot?.remoteStream ?? null} muted={false} label={`${snapshot?.peer?.name ?? peerLabel}'s video`} />
        {!snapshot?.remoteStream && <div class="call-placeholder">{snapshot?.peer?.name ?? peerLabel}</div>}
        <div class="call-self">
          <Video stream={local} muted label="Your camera" mirrored />
          {!cameraOn && <span class="camera-off">Camera off</span>}
        </div>
        {connectedFor && (
          <span class="call-timer" aria-label="Call duration">
            {connectedFor}
          </span>
        )}
      </div>
      <p class={`call-status ${state}`} role="status" aria-live="polite">
        {snapshot ? statusText(snapshot, peerLabel) : "Starting your camera…"}
      </p>
      {mediaError && (
        <div class="notice error" role="alert">
          <p>{mediaError}</p>
          <button class="secondary" onClick={() => setAttempt((a) => a + 1)}>
            Try the camera again
          </button>
        </div>
      )}
      {snapshot?.error && <p class="error">{snapshot.error}</p>}
      {!snapshot?.ended && (
        <div class="call-controls">
          <button class="secondary" aria-pressed={!micOn} disabled={!local} onClick={() => toggle("audio", !micOn)}>
            {micOn ? "Mute" : "Unmute"}
          </button>
          <button class="secondary" aria-pressed={!cameraOn} disabled={!local} onClick={() => toggle("video", !cameraOn)}>
            {cameraOn ? "Stop camera" : "Start camera"}
          </button>
          <button class="danger" onClick={() => session.current?.hangUp()} disabled={!snapshot}>
            Hang up
          </button>
        </div>
      )}
    </section>
  );
}
