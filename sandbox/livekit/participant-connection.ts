/**
 * One browser in a room: its signalling socket (which may drop and be resumed), its peer
 * connection(s), and the protocol between them, message by message as livekit-client 2.x
 * expects it (see ../../node_modules/livekit-client/src/api/SignalClient.ts and
 * room/RTCEngine.ts).
 */
import {
  AddTrackRequest,
  ClientConfigSetting,
  ClientConfiguration,
  ConnectionQualityUpdate,
  DisconnectReason,
  JoinResponse,
  LeaveRequest,
  LeaveRequest_Action,
  MediaSectionsRequirement,
  MuteTrackRequest,
  ParticipantInfo_State,
  ParticipantUpdate,
  Pong,
  ReconnectResponse,
  ServerInfo,
  ServerInfo_Edition,
  SessionDescription,
  SpeakersChanged,
  TrackInfo,
  TrackPublishedResponse,
  TrackSubscribed,
  TrackType,
  UpdateSubscription,
  UpdateTrackSettings,
  Codec,
  ConnectionQualityInfo,
  type SimulcastCodec,
} from '@livekit/protocol';
import { qualityFor, receivesQuality } from './connection-quality.js';
import { ParticipantDataRelay } from './data-relay.js';
import { newSid } from './ids.js';
import type { JoinParams } from './join-params.js';
import { PendingTracks } from './pending-tracks.js';
import type { RoomParticipant } from './participant.js';
import type { DownTrack, Negotiated, PeerTransport, TransportState, UpTrack } from './rtc/peer-transport.js';
import type { RoomEvent, SandboxRoom } from './room.js';
import type { SignalConnection, SignalMessage } from './signal-connection.js';
import { levelFromDbov } from './speaker-tracker.js';

/** Server-wide settings a connection reports to its client. */
export interface ConnectionSettings {
  serverVersion: string;
  nodeId: string;
  /** Seconds between client pings, and before a silent server counts as gone. */
  pingIntervalS: number;
  pingTimeoutS: number;
  /** How long a participant whose socket dropped waits for a resume, in ms. */
  resumeGraceMs: number;
  /** Whether the transports can take an ICE restart, which a resume needs. */
  resumeSupported: boolean;
}

/** What a connection needs from the server that owns it. */
export interface ConnectionDeps {
  room: SandboxRoom;
  participant: RoomParticipant;
  params: JoinParams;
  settings: ConnectionSettings;
  createTransport(role: 'publisher' | 'subscriber'): PeerTransport;
  /** Called once when the connection is over, whatever ended it. */
  onEnded(connection: ParticipantConnection): void;
}

/** Session lifecycle: joined and connected, waiting for a resume, or over. */
export type SessionState = 'active' | 'awaiting-resume' | 'ended';

/**
 * One participant's connection: its signalling socket (resumed on a new socket after a drop)
 * and its peer connections. ("Session" elsewhere means the paid Equos session.)
 */
export class ParticipantConnection {
  readonly room: SandboxRoom;
  readonly participant: RoomParticipant;
  readonly params: JoinParams;
  state: SessionState = 'active';
  /** The connection that receives our offers and media (the only one in single-pc mode). */
  readonly subscriber: PeerTransport;
  readonly publisher: PeerTransport;
  readonly #settings: ConnectionSettings;
  readonly #deps: ConnectionDeps;
  readonly #data: ParticipantDataRelay;
  #connection: SignalConnection | undefined;
  #unsubscribeRoom: () => void;
  readonly #pending = new PendingTracks();
  readonly #subscribed = new Set<string>();
  readonly #paused = new Set<string>();
  #offerId = 0;
  #subscriberOfferInFlight = false;
  #subscriberNeedsOffer = false;
  #mediaSectionsTimer: ReturnType<typeof setTimeout> | undefined;
  #resumeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(deps: ConnectionDeps) {
    this.#deps = deps;
    this.room = deps.room;
    this.participant = deps.participant;
    this.params = deps.params;
    this.#settings = deps.settings;
    this.publisher = deps.createTransport('publisher');
    this.subscriber = this.params.mode === 'single-pc' ? this.publisher : deps.createTransport('subscriber');
    // Packets go out on the subscriber connection, where the server opened its channels in the
    // two-connection mode; they come in on whichever connection the client sends them.
    this.#data = new ParticipantDataRelay({
      room: this.room,
      participant: this.participant,
      deliver: (kind, bytes) => this.subscriber.sendData(kind, bytes),
    });
    for (const transport of new Set([this.publisher, this.subscriber])) {
      transport.onUpTrack = (track) => this.#onUpTrack(track);
      transport.onStateChange = (state) => this.#onTransportState(transport, state);
      transport.onData = (kind, bytes) => this.#data.receive(kind, bytes);
    }
    this.#unsubscribeRoom = this.room.subscribe((event) => this.#onRoomEvent(event));
  }

  /** Starts the connection on its first socket: join response, subscriptions, first answer. */
  async start(connection: SignalConnection): Promise<void> {
    this.#connection = connection;
    this.#send({ case: 'join', value: this.#joinResponse() });
    if (this.params.autoSubscribe && this.participant.permission.canSubscribe) {
      for (const other of this.room.active()) {
        if (other !== this.participant) for (const track of other.tracks.values()) this.#subscribe(other, track.info.sid);
      }
    }
    if (this.params.publisherOffer) {
      await this.#answer(this.params.publisherOffer);
    } else if (this.params.mode === 'dual-pc') {
      await this.#negotiateSubscriber();
    }
  }

  /** Continues the connection on a new socket after the old one dropped. */
  resume(connection: SignalConnection): void {
    clearTimeout(this.#resumeTimer);
    this.#connection?.close('replaced by a resumed connection');
    this.#connection = connection;
    this.state = 'active';
    this.#send({
      case: 'reconnect',
      value: new ReconnectResponse({
        iceServers: [],
        clientConfiguration: this.#clientConfiguration(),
        serverInfo: this.#serverInfo(),
        // The client re-sends the reliable packets after this one (RTCEngine.resumeConnection).
        lastMessageSeq: this.#data.lastReliableSequence,
      }),
    });
    // What changed while the client was away, as the real server's sync does.
    this.#send({ case: 'update', value: new ParticipantUpdate({ participants: this.room.active().map((p) => p.toInfo()) }) });
  }

  /** Handles one request from the client (called in order by the connection). */
  async handle(message: SignalMessage): Promise<void> {
    if (this.state === 'ended') return;
    switch (message.case) {
      case 'offer':
        return this.#answer(message.value);
      case 'answer':
        return this.#onSubscriberAnswer(message.value);
      case 'trickle':
        // The transports are ICE-lite (WERIFT-NOTES §1): they never check remote candidates and
        // learn the browser's address from its own checks, and their own candidates are in the
        // SDP. Ignoring the client's also keeps werift away from mDNS names.
        return;
      case 'addTrack':
        return this.#onAddTrack(message.value);
      case 'mute':
        return this.#onMute(message.value);
      case 'subscription':
        return this.#onSubscription(message.value);
      case 'trackSetting':
        return this.#onTrackSetting(message.value);
      case 'leave':
        return this.end(DisconnectReason.CLIENT_INITIATED, { notify: false });
      case 'ping':
        return this.#send({ case: 'pong', value: BigInt(Date.now()) });
      case 'pingReq':
        return this.#send({ case: 'pongResp', value: new Pong({ lastPingTimestamp: message.value.timestamp, timestamp: BigInt(Date.now()) }) });
      default:
        // updateMetadata, syncState, simulate, updateLayers, updateAudioTrack…: accepted and
        // ignored; nothing the sandbox's users rely on.
        return;
    }
  }

  /** The socket closed: wait for a resume for a while, then leave. */
  onSocketClosed(connection: SignalConnection): void {
    if (connection !== this.#connection || this.state !== 'active') return;
    this.state = 'awaiting-resume';
    this.#resumeTimer = setTimeout(() => this.end(DisconnectReason.SIGNAL_CLOSE, { notify: false }), this.#settings.resumeGraceMs);
    this.#resumeTimer.unref?.();
  }

  /**
   * Ends the connection: tells the client why (unless it asked), leaves the room, closes the
   * transports. Idempotent.
   */
  async end(reason: DisconnectReason, options: { notify?: boolean; action?: LeaveRequest_Action } = {}): Promise<void> {
    if (this.state === 'ended') return;
    if (options.notify ?? true) {
      this.#send({
        case: 'leave',
        value: new LeaveRequest({ reason, action: options.action ?? LeaveRequest_Action.DISCONNECT, canReconnect: false }),
      });
    }
    this.state = 'ended';
    clearTimeout(this.#resumeTimer);
    clearTimeout(this.#mediaSectionsTimer);
    this.#unsubscribeRoom();
    this.room.leave(this.participant, reason);
    this.#connection?.close(DisconnectReason[reason]);
    await Promise.all([...new Set([this.publisher, this.subscriber])].map((transport) => transport.close()));
    this.#deps.onEnded(this);
  }

  /** Sends a leave that asks the client to reconnect from scratch (used by fault injection). */
  requestFullReconnect(): void {
    this.#send({
      case: 'leave',
      value: new LeaveRequest({ reason: DisconnectReason.UNKNOWN_REASON, action: LeaveRequest_Action.RECONNECT, canReconnect: true }),
    });
  }

  /** Drops the signalling socket without a goodbye, as a network failure would. */
  dropSignal(): void {
    this.#connection?.drop();
  }

  // — requests —

  async #answer(offer: SessionDescription): Promise<void> {
    let negotiated: Negotiated;
    try {
      negotiated = await this.publisher.answer(offer.sdp);
    } catch (error) {
      console.error(`sandbox connection ${this.participant.identity}: cannot answer offer`, error);
      return;
    }
    this.#send({
      case: 'answer',
      value: new SessionDescription({ type: 'answer', sdp: negotiated.sdp, id: offer.id, midToTrackId: negotiated.midToTrackId }),
    });
    // Tracks that arrived while this offer was in flight need their own sections.
    if (this.params.mode === 'single-pc') this.#requestMediaSections();
  }

  async #onSubscriberAnswer(answer: SessionDescription): Promise<void> {
    if (this.params.mode !== 'dual-pc') return;
    await this.subscriber.setAnswer(answer.sdp);
    this.#subscriberOfferInFlight = false;
    if (this.#subscriberNeedsOffer) await this.#negotiateSubscriber();
  }

  #onAddTrack(request: AddTrackRequest): void {
    // Without the publish grant the real server ignores the request (the client times out).
    if (!this.participant.permission.canPublish) return;
    const codec = request.simulcastCodecs.find((candidate: SimulcastCodec) => candidate.codec)?.codec;
    const info = new TrackInfo({
      sid: newSid('TR_'),
      type: request.type,
      name: request.name,
      source: request.source,
      muted: request.muted,
      width: request.width,
      height: request.height,
      mimeType: request.type === TrackType.AUDIO ? 'audio/opus' : `video/${(codec ?? 'vp8').toUpperCase()}`,
      stream: request.stream,
      disableRed: request.disableRed,
    });
    this.#pending.add({ request, info });
    this.#send({ case: 'trackPublished', value: new TrackPublishedResponse({ cid: request.cid, track: info }) });
  }

  #onUpTrack(upTrack: UpTrack): void {
    // By msid track id, else by kind: Firefox's msid is not the cid (pending-tracks.ts).
    const pending = this.#pending.take(upTrack.msidTrackId, upTrack.kind);
    if (!pending) return;
    pending.info.mid = upTrack.mid;
    this.room.publish(this.participant, { info: pending.info, source: upTrack.source });
    upTrack.source.subscribe((packet) => {
      if (packet.audioLevel !== undefined && !pending.info.muted) {
        this.room.speakers.report(this.participant.sid, levelFromDbov(packet.audioLevel));
      }
    });
  }

  #onMute(request: MuteTrackRequest): void {
    const published = this.participant.tracks.get(request.sid)?.info;
    const pending = this.#pending.bySid(request.sid)?.info;
    const info = published ?? pending;
    if (!info || info.muted === request.muted) return;
    info.muted = request.muted;
    if (published) this.room.changed(this.participant);
  }

  #onSubscription(update: UpdateSubscription): void {
    const trackSids = [...update.trackSids, ...update.participantTracks.flatMap((entry) => entry.trackSids)];
    for (const trackSid of trackSids) {
      const owner = this.room.active().find((participant) => participant.tracks.has(trackSid));
      if (update.subscribe && owner && owner !== this.participant) this.#subscribe(owner, trackSid);
      if (!update.subscribe) this.#unsubscribe(trackSid);
    }
  }

  #onTrackSetting(settings: UpdateTrackSettings): void {
    // Adaptive stream (a hidden video element) or a client's own choice (audio only): the
    // track stays subscribed, its forwarding paused.
    for (const trackSid of settings.trackSids) {
      if (!this.#subscribed.has(trackSid)) continue;
      this.subscriber.setDownTrackPaused(trackSid, settings.disabled);
      if (settings.disabled) this.#paused.add(trackSid);
      else this.#paused.delete(trackSid);
    }
  }

  /** The subscribed tracks the client asked not to be forwarded (`UpdateTrackSettings.disabled`). */
  get pausedTracks(): ReadonlySet<string> {
    return this.#paused;
  }

  // — room events —

  #onRoomEvent(event: RoomEvent): void {
    switch (event.type) {
      case 'participant': {
        const { participant } = event;
        // The same identity rejoining (a full reconnect) must not hear its old self leave.
        if (participant !== this.participant && participant.identity === this.participant.identity) return;
        this.#send({ case: 'update', value: new ParticipantUpdate({ participants: [participant.toInfo()] }) });
        return;
      }
      case 'track-published':
        if (event.participant !== this.participant && this.params.autoSubscribe && this.participant.permission.canSubscribe) {
          this.#subscribe(event.participant, event.track.info.sid);
        }
        return;
      case 'track-unpublished':
        this.#unsubscribe(event.track.info.sid);
        return;
      case 'track-subscribed':
        if (this.participant.tracks.has(event.trackSid)) {
          this.#send({ case: 'trackSubscribed', value: new TrackSubscribed({ trackSid: event.trackSid }) });
        }
        return;
      case 'speakers':
        this.#send({ case: 'speakersChanged', value: new SpeakersChanged({ speakers: event.speakers }) });
        return;
      case 'data':
        this.#data.deliver(event);
        return;
      case 'connection-quality':
        this.#sendQuality(event.infos);
        return;
      case 'ended':
        void this.end(event.reason);
        return;
    }
  }

  #subscribe(owner: RoomParticipant, trackSid: string): void {
    const track = owner.tracks.get(trackSid);
    if (!track || this.#subscribed.has(trackSid)) return;
    this.#subscribed.add(trackSid);
    const downTrack: DownTrack = {
      trackSid,
      participantSid: owner.sid,
      kind: track.info.type === TrackType.VIDEO ? 'video' : 'audio',
      source: track.source,
    };
    this.subscriber.addDownTrack(downTrack);
    this.room.markSubscribed(this.participant, trackSid);
    this.#renegotiate();
  }

  #unsubscribe(trackSid: string): void {
    if (!this.#subscribed.delete(trackSid)) return;
    this.#paused.delete(trackSid);
    this.subscriber.removeDownTrack(trackSid);
    this.room.markUnsubscribed(this.participant, trackSid);
  }

  /** Tells the client its own quality and that of the participants it receives, as LiveKit does. */
  #sendQuality(infos: readonly ConnectionQualityInfo[]): void {
    const protocol = this.params.protocol;
    if (!receivesQuality(protocol) || this.participant.state !== ParticipantInfo_State.ACTIVE) return;
    const sources = this.room.quality.sources(this.participant.sid, this.room.active());
    const updates = infos
      .filter((info) => info.participantSid === this.participant.sid || sources.has(info.participantSid))
      .map((info) => new ConnectionQualityInfo({ ...info, quality: qualityFor(protocol, info.quality) }));
    if (updates.length) this.#send({ case: 'connectionQuality', value: new ConnectionQualityUpdate({ updates }) });
  }

  /** Gets the new down tracks onto the wire: by the client's next offer, or by ours. */
  #renegotiate(): void {
    if (this.params.mode === 'single-pc') this.#requestMediaSections();
    else void this.#negotiateSubscriber();
  }

  /**
   * Single-pc: the server cannot offer, so it asks the client for more receive sections;
   * the client adds them and offers, and our answer binds the tracks. Coalesced, so that an
   * avatar publishing audio and video costs one round trip.
   */
  #requestMediaSections(): void {
    clearTimeout(this.#mediaSectionsTimer);
    this.#mediaSectionsTimer = setTimeout(() => {
      const { audio, video } = this.subscriber.unboundDownTracks();
      if (audio + video === 0 || this.state !== 'active') return;
      this.#send({ case: 'mediaSectionsRequirement', value: new MediaSectionsRequirement({ numAudios: audio, numVideos: video }) });
    }, 20);
  }

  async #negotiateSubscriber(): Promise<void> {
    if (this.#subscriberOfferInFlight) {
      this.#subscriberNeedsOffer = true;
      return;
    }
    this.#subscriberOfferInFlight = true;
    this.#subscriberNeedsOffer = false;
    const offer = await this.subscriber.createOffer();
    this.#offerId += 1;
    this.#send({
      case: 'offer',
      value: new SessionDescription({ type: 'offer', sdp: offer.sdp, id: this.#offerId, midToTrackId: offer.midToTrackId }),
    });
  }

  #onTransportState(transport: PeerTransport, state: TransportState): void {
    const primary = this.params.mode === 'dual-pc' ? this.subscriber : this.publisher;
    if (transport !== primary || this.state === 'ended') return;
    if (state === 'connected' && this.participant.state !== ParticipantInfo_State.ACTIVE) {
      this.participant.state = ParticipantInfo_State.ACTIVE;
      this.room.changed(this.participant);
    }
  }

  // — responses —

  #joinResponse(): JoinResponse {
    return new JoinResponse({
      room: this.room.toInfo(),
      participant: this.participant.toInfo(),
      otherParticipants: this.room.active().filter((other) => other !== this.participant).map((other) => other.toInfo()),
      serverVersion: this.#settings.serverVersion,
      serverRegion: 'sandbox',
      serverInfo: this.#serverInfo(),
      iceServers: [],
      subscriberPrimary: this.params.mode === 'dual-pc' && this.participant.permission.canSubscribe,
      clientConfiguration: this.#clientConfiguration(),
      pingInterval: this.#settings.pingIntervalS,
      pingTimeout: this.#settings.pingTimeoutS,
      enabledPublishCodecs: [new Codec({ mime: 'audio/opus' }), new Codec({ mime: 'video/VP8' })],
    });
  }

  #serverInfo(): ServerInfo {
    return new ServerInfo({
      edition: ServerInfo_Edition.Standard,
      version: this.#settings.serverVersion,
      protocol: 16,
      region: 'sandbox',
      nodeId: this.#settings.nodeId,
    });
  }

  #clientConfiguration(): ClientConfiguration {
    return new ClientConfiguration({
      resumeConnection: this.#settings.resumeSupported ? ClientConfigSetting.ENABLED : ClientConfigSetting.DISABLED,
    });
  }

  #send(message: Parameters<SignalConnection['send']>[0]): void {
    this.#connection?.send(message);
  }
}
