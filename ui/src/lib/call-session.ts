// One side of a video call: the call room's signalling socket and the browser's
// RTCPeerConnection. The offerer (the agent; the caller in direct calls) makes an offer
// whenever the other participant is present; the answerer answers each offer. When the peer
// comes back after a drop the offerer re-offers: an ICE restart on a connection that still
// exists, a fresh connection otherwise. Media never touches the server.
import type { RoomParticipant, RoomServerMessage } from "../../../worker/schemas/messages.ts";
import { roomServerFrame } from "./frames.ts";
import { openLiveSocket, type LiveSocket, type SocketState } from "./socket.ts";

/** Who ended the call: this side (hang-up), or the server (the call was completed or closed). */
export type CallEnd = { by: "me" | "server"; reason?: string };

export type CallSnapshot = {
  socket: SocketState;
  peer: Pick<RoomParticipant, "name" | "role" | "connected"> | null;
  /** RTCPeerConnection.connectionState, or "new" before there is one. */
  connection: RTCPeerConnectionState;
  remoteStream: MediaStream | null;
  /** When the media first connected (ms since epoch). */
  connectedAt: number | null;
  ended: CallEnd | null;
  error: string | null;
};

type Options = {
  /** The room's WebSocket path (room_ws_url). */
  roomPath: string;
  offerer: boolean;
  localStream: MediaStream | null;
  onChange: (snapshot: CallSnapshot) => void;
};

/** Gives up recreating the connection after this many failed negotiations in a row. */
const MAX_RENEGOTIATIONS = 4;

export class CallSession {
  private readonly options: Options;
  private readonly socket: LiveSocket;
  private pc: RTCPeerConnection | null = null;
  private iceServers: RTCIceServer[] = [];
  private pendingCandidates: RTCIceCandidateInit[] = [];
  private everConnected = false;
  private failedNegotiations = 0;
  /** Frames are handled one at a time, in order: each may await the peer connection. */
  private handling: Promise<void> = Promise.resolve();
  private snapshot: CallSnapshot = {
    socket: "connecting",
    peer: null,
    connection: "new",
    remoteStream: null,
    connectedAt: null,
    ended: null,
    error: null,
  };

  constructor(options: Options) {
    this.options = options;
    this.socket = openLiveSocket({
      path: options.roomPath,
      schema: roomServerFrame,
      onMessage: (message) => this.run(() => this.handle(message)),
      onState: (socket) => this.set({ socket }),
      // 4000: this user joined from another tab, which now owns the call. 1000: the call ended.
      retryOnClose: (code) => code !== 4000 && code !== 1000,
    });
  }

  /** Hangs up: tells the peer, then closes everything (the peer stays in the room and may be rejoined). */
  hangUp(reason = "hung up") {
    if (this.snapshot.ended) return;
    this.socket.send({ type: "hangup", reason });
    this.finish({ by: "me", reason });
  }

  /** Closes the socket and the peer connection without telling the peer (page left). */
  dispose() {
    this.socket.close();
    this.closePeerConnection();
  }

  private run(task: () => Promise<void>) {
    this.handling = this.handling.then(task).catch((err: unknown) => this.fail(err));
  }

  private set(change: Partial<CallSnapshot>) {
    this.snapshot = { ...this.snapshot, ...change };
    this.options.onChange(this.snapshot);
  }

  private fail(err: unknown) {
    console.warn("call signalling error", err);
    this.set({ error: err instanceof Error ? err.message : String(err) });
  }

  private finish(end: CallEnd) {
    this.set({ ended: end });
    this.dispose();
  }

  private async handle(message: RoomServerMessage) {
    if (this.snapshot.ended) return;
    switch (message.type) {
      case "room_state": {
        this.iceServers = message.ice_servers;
        const peer = message.participants.find((p) => p.user_id !== message.you.user_id) ?? null;
        this.set({ peer: peer && { name: peer.name, role: peer.role, connected: peer.connected } });
        if (message.status === "ended") return this.finish({ by: "server", reason: "The call has ended." });
        if (this.options.offerer && peer?.connected) await this.offer();
        return;
      }
      case "peer_joined":
        this.set({ peer: { name: message.name, role: message.role as RoomParticipant["role"], connected: true } });
        if (this.options.offerer) await this.offer();
        return;
      case "peer_left":
        if (this.snapshot.peer) this.set({ peer: { ...this.snapshot.peer, connected: false } });
        return;
      case "offer":
        if (!this.options.offerer) await this.answer(message.sdp);
        return;
      case "answer":
        if (this.options.offerer) await this.acceptAnswer(message.sdp);
        return;
      case "ice_candidate":
        await this.addCandidate(message.candidate as RTCIceCandidateInit | null);
        return;
      case "hangup":
        if (message.user_id === "server") return this.finish({ by: "server", ...(message.reason ? { reason: message.reason } : {}) });
        // The peer left the media call, not the room's call: stay, so they can come back.
        this.closePeerConnection();
        this.set({
          remoteStream: null,
          connection: "new",
          ...(this.snapshot.peer ? { peer: { ...this.snapshot.peer, connected: false } } : {}),
        });
        return;
      case "error":
        // The peer left between our check and our frame: it re-offers when it is back.
        if (message.code !== "peer_not_connected") this.set({ error: message.message });
        return;
      case "pong":
        return;
    }
  }

  private closePeerConnection() {
    const pc = this.pc;
    this.pc = null;
    this.pendingCandidates = [];
    if (!pc) return;
    pc.onicecandidate = pc.ontrack = pc.onconnectionstatechange = null;
    pc.close();
  }

  private newPeerConnection(): RTCPeerConnection {
    this.closePeerConnection();
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    this.pc = pc;
    const local = this.options.localStream;
    if (local) for (const track of local.getTracks()) pc.addTrack(track, local);
    else {
      // Still receive the peer's media when this side has no camera.
      pc.addTransceiver("audio", { direction: "recvonly" });
      pc.addTransceiver("video", { direction: "recvonly" });
    }
    pc.onicecandidate = (e) => {
      if (e.candidate) this.socket.send({ type: "ice_candidate", candidate: e.candidate.toJSON() });
    };
    pc.ontrack = (e) => {
      const stream = e.streams[0] ?? new MediaStream([e.track]);
      if (this.snapshot.remoteStream !== stream) this.set({ remoteStream: stream });
    };
    pc.onconnectionstatechange = () => {
      if (this.pc !== pc) return;
      const state = pc.connectionState;
      if (state === "connected") {
        this.failedNegotiations = 0;
        if (!this.everConnected) this.socket.send({ type: "call_connected" });
        this.everConnected = true;
        this.set({ connection: state, connectedAt: this.snapshot.connectedAt ?? Date.now(), error: null });
        return;
      }
      this.set({ connection: state });
      if (state === "failed" && this.options.offerer && this.snapshot.peer?.connected) this.run(() => this.offer());
    };
    this.set({ connection: pc.connectionState });
    return pc;
  }

  /** Offerer: a new offer; an ICE restart when the current connection can still be saved. */
  private async offer() {
    const current = this.pc;
    const restartable =
      current && current.remoteDescription && ["connected", "connecting", "disconnected"].includes(current.connectionState);
    const pc = restartable ? current : this.newPeerConnection();
    const offer = await pc.createOffer(restartable ? { iceRestart: true } : {});
    if (this.pc !== pc) return;
    await pc.setLocalDescription(offer);
    this.socket.send({ type: "offer", sdp: pc.localDescription!.sdp });
  }

  /** Offerer: the peer's answer; one that does not fit this connection starts afresh. */
  private async acceptAnswer(sdp: string) {
    const pc = this.pc;
    if (!pc || pc.signalingState !== "have-local-offer") return;
    try {
      await pc.setRemoteDescription({ type: "answer", sdp });
      await this.flushCandidates(pc);
    } catch (err) {
      if (++this.failedNegotiations > MAX_RENEGOTIATIONS) throw err;
      this.closePeerConnection();
      await this.offer();
    }
  }

  /** Answerer: applies the offer (on a fresh connection if the current one cannot take it) and answers. */
  private async answer(sdp: string) {
    let pc = this.pc && this.pc.signalingState === "stable" && this.pc.connectionState !== "failed" ? this.pc : this.newPeerConnection();
    try {
      await pc.setRemoteDescription({ type: "offer", sdp });
    } catch {
      pc = this.newPeerConnection();
      await pc.setRemoteDescription({ type: "offer", sdp });
    }
    const answer = await pc.createAnswer();
    if (this.pc !== pc) return;
    await pc.setLocalDescription(answer);
    this.socket.send({ type: "answer", sdp: pc.localDescription!.sdp });
    await this.flushCandidates(pc);
  }

  private async addCandidate(candidate: RTCIceCandidateInit | null) {
    if (!candidate) return;
    const pc = this.pc;
    if (!pc || !pc.remoteDescription) {
      this.pendingCandidates.push(candidate);
      return;
    }
    // A candidate from a connection that was just replaced does not fit; that is harmless.
    await pc.addIceCandidate(candidate).catch(() => undefined);
  }

  private async flushCandidates(pc: RTCPeerConnection) {
    const queued = this.pendingCandidates;
    this.pendingCandidates = [];
    for (const candidate of queued) await pc.addIceCandidate(candidate).catch(() => undefined);
  }
}
