// Camera and microphone: whether the device has them, and opening them with messages a
// person can act on.

/** True when the browser reports at least one camera and one microphone. */
export async function hasCameraAndMic(): Promise<boolean> {
  if (!navigator.mediaDevices?.enumerateDevices) return false;
  const devices = await navigator.mediaDevices.enumerateDevices().catch(() => []);
  return devices.some((d) => d.kind === "videoinput") && devices.some((d) => d.kind === "audioinput");
}

const MEDIA_ERRORS: Record<string, string> = {
  NotAllowedError: "Camera and microphone access is blocked. Allow them for this site in your browser settings, then try again.",
  SecurityError: "Camera and microphone access is blocked. Allow them for this site in your browser settings, then try again.",
  NotFoundError: "No camera or microphone was found. Connect one, then try again.",
  NotReadableError: "Your camera or microphone is in use by another app. Close that app, then try again.",
  OverconstrainedError: "Your camera does not support the requested settings.",
};

/** Opens the camera and microphone; throws an Error whose message says what to do. */
export async function openCameraAndMic(): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new Error("This browser cannot use a camera here. Open this page over HTTPS in an up-to-date browser.");
  }
  try {
    return await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: "user" },
      audio: { echoCancellation: true, noiseSuppression: true },
    });
  } catch (err) {
    const name = err instanceof DOMException ? err.name : "";
    throw new Error(MEDIA_ERRORS[name] ?? "The camera or microphone could not be started.");
  }
}
