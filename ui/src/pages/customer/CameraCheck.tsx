// Lets a waiting customer see that their camera and microphone work before the agent joins.
import { useEffect, useRef, useState } from "preact/hooks";
import { useI18n } from "../../lib/i18n.ts";
import { openCameraAndMic } from "../../lib/media.ts";

export function CameraCheck() {
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const { t } = useI18n();

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
      <h2 id="camera-check-title">{t.cameraCheck}</h2>
      {stream ? (
        <>
          <div class="video mirrored preview">
            <video ref={video} autoplay playsinline muted aria-label={t.cameraPreview} />
          </div>
          <p class="ok">{t.cameraWorks}</p>
          <button class="secondary big" onClick={() => setStream(null)}>
            {t.previewOff}
          </button>
        </>
      ) : (
        <>
          <p class="muted">{t.cameraCheckIntro}</p>
          <button class="secondary big" onClick={() => void start()}>
            {t.checkCamera}
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
