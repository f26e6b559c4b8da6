// Lets a waiting customer see that their camera and microphone work before the agent joins.
import { useEffect, useRef, useState } from "preact/hooks";
import { openCameraAndMic } from "../../lib/media.ts";

export function CameraCheck() {
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    if (video.current) video.current.srcObject = stream;
    return () => stream?.getTracks().forEach((t) => t.stop());
  }, [stream]);

  async function start() {
    setError(null);
    try {
      setStream(await openCameraAndMic());
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <section class="panel" aria-labelledby="camera-check-title">
      <h2 id="camera-check-title">Camera check</h2>
      {stream ? (
        <>
          <div class="video mirrored preview">
            <video ref={video} autoplay playsinline muted aria-label="Your camera preview" />
          </div>
          <p class="ok">Your camera works. You're all set.</p>
          <button class="secondary big" onClick={() => setStream(null)}>
            Turn the preview off
          </button>
        </>
      ) : (
        <>
          <p class="muted">Make sure your camera and microphone work before the call. Your browser may ask for permission.</p>
          <button class="secondary big" onClick={() => void start()}>
            Check my camera
          </button>
        </>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
