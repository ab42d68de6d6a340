/**
 * `PeerTransport` on werift 0.24.4 (WebRTC in TypeScript). Loopback only, ICE-lite, VP8 and
 * Opus. Every workaround here is one of werift's quirks met with Chromium or Firefox and
 * documented in ../WERIFT-NOTES.md; each is marked with the section that explains it.
 */
import {
  MediaStream,
  MediaStreamTrack,
  RTCDtlsTransport,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RtcpPayloadSpecificFeedback,
  RtpHeader,
  RtpPacket,
  RTP_EXTENSION_URI,
  useAudioLevelIndication,
  useSdesMid,
  type RTCRtpTransceiver,
} from 'werift';
import { PushSource } from '../media-source.js';
import { DataChannels } from './data-channels.js';
import type { DataKind, DownTrack, Negotiated, PeerTransport, TransportState, UpTrack } from './peer-transport.js';
import { fixAnswer, iceLiteAtSessionLevel, iceUfragOf, midsOf, msidTrackIdsByMid, offerForWerift, stripMdnsCandidates } from './sdp.js';

/** Options of `createWeriftTransportFactory`. */
export interface WeriftTransportOptions {
  /** The address media is offered on [127.0.0.1]. */
  host?: string;
}

interface Binding {
  downTrack: DownTrack;
  track: MediaStreamTrack;
  transceiver?: RTCRtpTransceiver;
  sequence: number;
  paused: boolean;
  removed: boolean;
  unsubscribe: () => void;
}

/** The codecs the constructor configures, as rtpmap values. */
const RTPMAPS = { audio: 'opus/48000/2', video: 'VP8/90000' } as const;

/** Returns a factory of werift transports for the LiveKit server. */
export function createWeriftTransportFactory(options: WeriftTransportOptions = {}): (role: 'publisher' | 'subscriber') => PeerTransport {
  return () => new WeriftTransport(options.host ?? '127.0.0.1');
}

/**
 * Generates werift's DTLS certificate now (100–400 ms, once per process) instead of during
 * the first visitor's connection (WERIFT-NOTES §1).
 */
export async function warmUpWerift(): Promise<void> {
  await RTCDtlsTransport.SetupCertificate();
}

/** One werift peer connection. */
export class WeriftTransport implements PeerTransport {
  onUpTrack?: (track: UpTrack) => void;
  onStateChange?: (state: TransportState) => void;
  state: TransportState = 'new';
  readonly #pc: RTCPeerConnection;
  readonly #dataChannels = new DataChannels();
  readonly #bindings = new Map<string, Binding>();
  /** Where each remote-created transceiver's received packets go. */
  readonly #receivers = new Map<RTCRtpTransceiver, PushSource>();
  /** Transceivers already announced as up tracks. */
  readonly #announced = new Set<RTCRtpTransceiver>();
  /** Mids that have carried a track: fresh sections are preferred for new tracks. */
  readonly #usedMids = new Set<string>();
  /** `mid:trackSid` pairs already started on a keyframe. */
  readonly #started = new Set<string>();
  #remoteUfrag: string | undefined;
  #dataChannelsCreated = false;
  #queue: Promise<unknown> = Promise.resolve();
  #rtcpSubscribed = false;

  constructor(host: string) {
    this.#pc = new RTCPeerConnection({
      // §1: the config merge is shallow, so both kinds are always given.
      codecs: {
        audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48_000, channels: 2, payloadType: 111 })],
        video: [
          new RTCRtpCodecParameters({
            mimeType: 'video/VP8',
            clockRate: 90_000,
            payloadType: 96,
            rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
          }),
        ],
      },
      headerExtensions: { audio: [useSdesMid(), useAudioLevelIndication()], video: [useSdesMid()] },
      bundlePolicy: 'max-bundle',
      // §1: ICE-lite: no STUN lookups (an empty iceServers still means Google's), and the
      // browser, as the controlling agent, finds the loopback pair itself.
      iceLite: true,
      iceServers: [],
      iceUseIpv4: false,
      iceUseIpv6: false,
      iceAdditionalHostAddresses: [host],
      iceInterfaceAddresses: { udp4: host },
    });
    // §4: a section with a=ssrc gets its track during setRemoteDescription itself, so the
    // receiver must be wired the moment werift creates the transceiver.
    this.#pc.onRemoteTransceiverAdded.subscribe((transceiver) => this.#receive(transceiver));
    // §7: the channels livekit-client opens (on its publisher connection). werift announces
    // each one before marking it open, so its first message cannot be missed.
    this.#pc.onDataChannel.subscribe((channel) => this.#dataChannels.add(channel));
    this.#pc.connectionStateChange.subscribe((state) => {
      this.state = state;
      // Frames sent before DTLS was up were dropped: start every picture on a keyframe.
      if (state === 'connected') {
        for (const binding of this.#bindings.values()) if (binding.downTrack.kind === 'video') binding.downTrack.source.requestKeyframe();
      }
      this.onStateChange?.(state);
    });
  }

  answer(offerSdp: string): Promise<Negotiated> {
    return this.#serially(async () => {
      // §5 "rejected": werift cannot answer a rejected section without a codec it knows (Firefox).
      const offer = offerForWerift(offerSdp, RTPMAPS);
      const pc = this.#pc;
      // §6.1: werift may not notice an ICE restart (a new ufrag); restart it ourselves.
      const ufrag = iceUfragOf(offer);
      const restart = this.#remoteUfrag !== undefined && ufrag !== this.#remoteUfrag;
      this.#remoteUfrag = ufrag;
      if (restart) for (const transport of pc.iceTransports) transport.restart();

      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      // §5 "stale": a transceiver whose mid left the offer must not claim its old m-line.
      const offered = new Set(midsOf(offer));
      for (const transceiver of pc.getTransceivers()) {
        if (transceiver.mid != null && !offered.has(transceiver.mid)) transceiver.mLineIndex = undefined;
      }
      await this.#unbindRemoved();
      this.#bindPending();
      this.#announceUpTracks(offer);

      await pc.setLocalDescription(await pc.createAnswer());
      // §6.2: after a restart answer werift does not start the new ICE session by itself.
      if (restart) for (const transport of pc.iceTransports) if (transport.state !== 'closed') transport.start().catch(() => {});
      // §5 "used": otherwise werift recycles an unused transceiver for the next new section
      // and loses its mid.
      for (const transceiver of pc.getTransceivers()) transceiver.usedForSender = true;
      this.#watchKeyframeRequests();
      this.#requestKeyframesForNewBindings();
      return { sdp: fixAnswer(offer, pc.localDescription!.sdp), midToTrackId: this.#midToTrackId() };
    });
  }

  createOffer(): Promise<Negotiated> {
    return this.#serially(async () => {
      const pc = this.#pc;
      if (!this.#dataChannelsCreated) {
        // The LiveKit server opens these on the subscriber connection; the client adopts them.
        this.#dataChannels.add(pc.createDataChannel('_reliable', { ordered: true }));
        this.#dataChannels.add(pc.createDataChannel('_lossy', { ordered: false, maxRetransmits: 0 }));
        this.#dataChannelsCreated = true;
      }
      await this.#unbindRemoved();
      for (const binding of this.#bindings.values()) {
        if (!binding.transceiver && !binding.removed) {
          this.#bind(binding, pc.addTransceiver(binding.downTrack.kind, { direction: 'sendonly' }));
        }
      }
      await pc.setLocalDescription(await pc.createOffer());
      this.#watchKeyframeRequests();
      // §5 "lite": Firefox reads a=ice-lite at the session level only.
      return { sdp: iceLiteAtSessionLevel(pc.localDescription!.sdp), midToTrackId: this.#midToTrackId() };
    });
  }

  setAnswer(answerSdp: string): Promise<void> {
    return this.#serially(async () => {
      await this.#pc.setRemoteDescription({ type: 'answer', sdp: stripMdnsCandidates(answerSdp) });
      this.#requestKeyframesForNewBindings();
    });
  }

  addDownTrack(downTrack: DownTrack): void {
    if (this.#bindings.has(downTrack.trackSid)) return;
    const binding: Binding = {
      downTrack,
      track: new MediaStreamTrack({ kind: downTrack.kind }),
      sequence: Math.floor(Math.random() * 0xffff),
      paused: false,
      removed: false,
      unsubscribe: () => {},
    };
    binding.unsubscribe = downTrack.source.subscribe((packet) => {
      if (!binding.transceiver || binding.paused || binding.removed || this.state !== 'connected') return;
      binding.sequence = (binding.sequence + 1) & 0xffff;
      // §3: werift rewrites the header in place, so every packet gets its own. It only reads
      // the payload (encrypts it into a new buffer, keeps it for NACKs) and no source reuses
      // its buffers, so all subscribers share it: a view, not a copy.
      const header = new RtpHeader({
        sequenceNumber: binding.sequence,
        timestamp: packet.timestamp,
        marker: packet.marker,
        payloadType: downTrack.kind === 'video' ? 96 : 111,
      });
      const { payload } = packet;
      binding.track.writeRtp(new RtpPacket(header, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)));
    });
    this.#bindings.set(downTrack.trackSid, binding);
  }

  removeDownTrack(trackSid: string): void {
    const binding = this.#bindings.get(trackSid);
    if (!binding) return;
    binding.removed = true;
    binding.unsubscribe();
    if (!binding.transceiver) this.#bindings.delete(trackSid);
  }

  unboundDownTracks(): { audio: number; video: number } {
    const counts = { audio: 0, video: 0 };
    for (const binding of this.#bindings.values()) {
      if (!binding.transceiver && !binding.removed) counts[binding.downTrack.kind] += 1;
    }
    return counts;
  }

  setDownTrackPaused(trackSid: string, paused: boolean): void {
    const binding = this.#bindings.get(trackSid);
    if (!binding) return;
    const resumed = binding.paused && !paused;
    binding.paused = paused;
    if (resumed) binding.downTrack.source.requestKeyframe();
  }

  get onData(): ((kind: DataKind, bytes: Uint8Array) => void) | undefined {
    return this.#dataChannels.onData;
  }

  set onData(handler: ((kind: DataKind, bytes: Uint8Array) => void) | undefined) {
    this.#dataChannels.onData = handler;
  }

  sendData(kind: DataKind, bytes: Uint8Array): void {
    this.#dataChannels.send(kind, bytes);
  }

  async close(): Promise<void> {
    this.#dataChannels.close();
    for (const binding of this.#bindings.values()) binding.unsubscribe();
    this.#bindings.clear();
    await this.#serially(() => this.#pc.close()).catch(() => {});
    this.state = 'closed';
  }

  /** Runs negotiation steps one at a time: werift does not serialise them itself (§5). */
  #serially<T>(step: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(step, step);
    this.#queue = next.catch(() => {});
    return next;
  }

  /** Binds waiting down tracks to free receive sections the client offered (§2). */
  #bindPending(): void {
    const taken = new Set([...this.#bindings.values()].map((binding) => binding.transceiver).filter(Boolean));
    const free = this.#pc
      .getTransceivers()
      .filter((transceiver) => transceiver.offerDirection === 'sendonly' && !taken.has(transceiver) && transceiver.mid != null)
      // Sections never used before first: the client appended them for exactly these tracks.
      .sort((a, b) => Number(this.#usedMids.has(a.mid!)) - Number(this.#usedMids.has(b.mid!)));
    for (const binding of this.#bindings.values()) {
      if (binding.transceiver || binding.removed) continue;
      const index = free.findIndex((transceiver) => transceiver.kind === binding.downTrack.kind);
      if (index === -1) continue;
      const [transceiver] = free.splice(index, 1);
      this.#bind(binding, transceiver!);
    }
  }

  #bind(binding: Binding, transceiver: RTCRtpTransceiver): void {
    const { participantSid, trackSid } = binding.downTrack;
    transceiver.setDirection('sendonly');
    // livekit-client finds the participant and track in the stream id `PA_…|TR_…` (§2).
    transceiver.sender.setStreams([new MediaStream({ id: `${participantSid}|${trackSid}` })]);
    (transceiver.sender as { trackId: string }).trackId = trackSid;
    transceiver.sender.registerTrack(binding.track);
    binding.transceiver = transceiver;
  }

  /** Frees the sections of removed tracks: the next description marks them inactive (§5). */
  async #unbindRemoved(): Promise<void> {
    for (const [trackSid, binding] of this.#bindings) {
      if (!binding.removed) continue;
      if (binding.transceiver) {
        binding.transceiver.setDirection('inactive');
        await binding.transceiver.sender.replaceTrack(null);
        binding.transceiver.sender.setStreams([]);
      }
      this.#bindings.delete(trackSid);
    }
  }

  /** Pushes every packet the client sends on `transceiver` into its source (§4). */
  #receive(transceiver: RTCRtpTransceiver): void {
    const source = new PushSource(transceiver.kind === 'video' ? 'video' : 'audio');
    this.#receivers.set(transceiver, source);
    transceiver.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((rtp, extensions) => {
        const level = extensions?.[RTP_EXTENSION_URI.audioLevelIndication] as { level?: number } | undefined;
        source.push({
          payload: rtp.payload,
          timestamp: rtp.header.timestamp,
          marker: rtp.header.marker,
          ...(typeof level?.level === 'number' ? { audioLevel: level.level } : {}),
        });
      });
    });
  }

  /** Announces each section the client newly sends on, with its msid track id (the AddTrack cid). */
  #announceUpTracks(offer: string): void {
    const msidTrackIds = msidTrackIdsByMid(offer);
    for (const [transceiver, source] of this.#receivers) {
      const mid = transceiver.mid;
      if (transceiver.offerDirection !== 'recvonly' || this.#announced.has(transceiver) || mid == null) continue;
      const msidTrackId = msidTrackIds.get(mid);
      if (!msidTrackId) continue;
      this.#announced.add(transceiver);
      this.onUpTrack?.({ mid, kind: source.kind, msidTrackId, source });
    }
  }

  /**
   * §3: PLIs must be read on the DTLS transport, because werift delivers them to whichever
   * stream has the browser's sender SSRC (its microphone) rather than to our video sender.
   */
  #watchKeyframeRequests(): void {
    const dtls = this.#pc.dtlsTransports[0];
    if (this.#rtcpSubscribed || !dtls) return;
    this.#rtcpSubscribed = true;
    dtls.onRtcp.subscribe((packet) => {
      if (packet.type !== RtcpPayloadSpecificFeedback.type) return;
      const feedback = (packet as RtcpPayloadSpecificFeedback).feedback as {
        count: number;
        mediaSsrc?: number;
        fir?: Array<{ ssrc: number }>;
      };
      if (feedback.count !== 1 && feedback.count !== 4) return; // PLI or FIR
      for (const binding of this.#bindings.values()) {
        const ssrc = binding.transceiver?.sender.ssrc;
        if (ssrc === undefined) continue;
        if (feedback.mediaSsrc === ssrc || feedback.fir?.some((entry) => entry.ssrc === ssrc)) binding.downTrack.source.requestKeyframe();
      }
    });
  }

  /** A newly bound video track starts on a keyframe rather than waiting for the next one. */
  #requestKeyframesForNewBindings(): void {
    for (const binding of this.#bindings.values()) {
      const mid = binding.transceiver?.mid;
      const key = `${mid}:${binding.downTrack.trackSid}`;
      if (mid == null || this.#started.has(key)) continue;
      this.#started.add(key);
      this.#usedMids.add(mid);
      if (binding.downTrack.kind === 'video') binding.downTrack.source.requestKeyframe();
    }
  }

  #midToTrackId(): Record<string, string> {
    const map: Record<string, string> = {};
    for (const binding of this.#bindings.values()) {
      const mid = binding.transceiver?.mid;
      if (mid != null && !binding.removed) map[mid] = binding.downTrack.trackSid;
    }
    return map;
  }
}
