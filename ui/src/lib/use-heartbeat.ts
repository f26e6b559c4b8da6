// The agent desk's heartbeat: POST /agents/heartbeat as often as the server asks, telling it
// whether a camera and microphone are connected; the reply carries the readiness score.
import { useEffect, useRef, useState } from "preact/hooks";
import type { z } from "zod";
import type { HeartbeatResponse } from "../../../worker/schemas/video-calls.ts";
import { api } from "./api.ts";
import { hasCameraAndMic } from "./media.ts";

export type HeartbeatReply = z.infer<typeof HeartbeatResponse>;
export type Heartbeat = { reply: HeartbeatReply | null; deviceConnected: boolean | null; lastBeatAt: number | null; failing: boolean };

const RETRY_SECONDS = 10;

/**
 * Beats while the desk is open; a device change beats at once. `chosenStatus` is the status
 * the agent picked: after a network gap marked them offline, the server restores it.
 */
export function useHeartbeat(chosenStatus: string | null): Heartbeat {
  const [beat, setBeat] = useState<Heartbeat>({ reply: null, deviceConnected: null, lastBeatAt: null, failing: false });
  const chosen = useRef(chosenStatus);
  chosen.current = chosenStatus;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const send = async () => {
      clearTimeout(timer);
      const device_connected = await hasCameraAndMic();
      let next = RETRY_SECONDS;
      try {
        const current_status = chosen.current ?? undefined;
        const reply = await api<HeartbeatReply>("/agents/heartbeat", {
          method: "POST",
          json: { device_connected, ...(current_status ? { current_status } : {}) },
        });
        next = Math.min(120, Math.max(2, reply.next_heartbeat_seconds));
        if (!stopped) setBeat({ reply, deviceConnected: device_connected, lastBeatAt: Date.now(), failing: false });
      } catch {
        if (!stopped) setBeat((b) => ({ ...b, deviceConnected: device_connected, failing: true }));
      }
      if (!stopped) timer = setTimeout(send, next * 1000);
    };
    const onDeviceChange = () => void send();
    navigator.mediaDevices?.addEventListener("devicechange", onDeviceChange);
    void send();
    return () => {
      stopped = true;
      clearTimeout(timer);
      navigator.mediaDevices?.removeEventListener("devicechange", onDeviceChange);
    };
  }, []);
  return beat;
}
