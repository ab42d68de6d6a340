/**
 * The sandbox's demo avatar: a participant in the room, living in this process, that
 * publishes a camera (an animated face) and a microphone (its voice), and speaks Equos'
 * real-time protocol on the data channel: utterances for what it says, a user utterance when
 * the visitor has spoken, replies to typed text, triggers, `expire_soon` and `interrupt`. To
 * livekit-client it is a remote participant like any other; it joins with the identity Equos
 * gave the session's avatar.
 *
 * What it does is decided by the pure machine in behaviour.ts; this class feeds it room events
 * and carries out its commands.
 */
import { DisconnectReason, ParticipantInfo_Kind, ParticipantInfo_State, TrackInfo, TrackSource, TrackType } from '@livekit/protocol';
import type { AgentMessage, PageMessage } from '../../contract/equos/realtime.js';
import { newSid } from '../livekit/ids.js';
import { PushSource, type MediaPacket } from '../livekit/media-source.js';
import { RoomParticipant } from '../livekit/participant.js';
import type { RoomEvent, SandboxRoom } from '../livekit/room.js';
import type { AvatarMedia } from '../media/assets.js';
import {
  DEFAULT_BEHAVIOUR_SETTINGS,
  INITIAL_BEHAVIOUR,
  transition,
  type BehaviourCommand,
  type BehaviourEvent,
  type BehaviourSettings,
  type BehaviourState,
  type Phase,
} from './behaviour.js';
import { ECHO_CAPTION, replyCaption } from './captions.js';
import { planExpiry, type SessionLimits } from './expiry.js';
import { AvatarPlayer } from './player.js';
import { pageMessageFor, sendAgentMessage } from './realtime-link.js';
import { Voice } from './voice.js';

/** Options of `DemoAvatar`. */
export interface DemoAvatarOptions {
  room: SandboxRoom;
  identity: string;
  name: string;
  media: AvatarMedia;
  /** Leave the room after this many ms (fault injection: "the avatar left"). */
  leaveAfterMs?: number;
  /** Told once the avatar has left the room by itself (`leave()`, not the room ending): the sandbox may bring it back. */
  onLeave?: () => void;
  /** Wait this long after the visitor is connected and receives the avatar's voice before greeting, in ms [800]. */
  greetingDelayMs?: number;
  /** Greet this long after the visitor connected even if it never subscribes, in ms [3000]. */
  greetingFallbackMs?: number;
  /** The session's start and maximum duration, as Equos knows them: the avatar warns before the end. */
  session?: SessionLimits;
  /** Warn this long before the session's end, in ms [30000]; a shorter session is warned half-way. */
  expireLeadMs?: number;
}

/** Audio louder than this (in -dBov) counts as the visitor speaking. */
const SPEECH_DBOV = 45;
const TICK_MS = 100;
/** Visitor audio kept before a recording starts: talking over the avatar is recorded from its start. */
const RECENT_AUDIO_MS = 2000;

/** A demo avatar in a room. */
export class DemoAvatar {
  readonly participant: RoomParticipant;
  readonly #room: SandboxRoom;
  readonly #player: AvatarPlayer;
  readonly #voice: Voice;
  readonly #media: AvatarMedia;
  readonly #settings: BehaviourSettings;
  readonly #audioTrackSid = newSid('TR_');
  readonly #unsubscribe: Array<() => void> = [];
  readonly #timers: Array<ReturnType<typeof setTimeout>> = [];
  readonly #onLeave: (() => void) | undefined;
  #behaviour: BehaviourState = INITIAL_BEHAVIOUR;
  #recent: Array<{ at: number; payload: Uint8Array }> = [];
  #recording: Uint8Array[] | undefined;
  #listeningTo: string | undefined;
  /** Visitor audio packets heard, for tests. */
  heardPackets = 0;

  constructor(options: DemoAvatarOptions) {
    this.#room = options.room;
    this.#media = options.media;
    this.#onLeave = options.onLeave;
    const expiry = options.session && planExpiry(options.session, options.expireLeadMs);
    this.#settings = {
      ...DEFAULT_BEHAVIOUR_SETTINGS,
      ...(options.greetingDelayMs !== undefined ? { greetingDelayMs: options.greetingDelayMs } : {}),
      ...(options.greetingFallbackMs !== undefined ? { greetingFallbackMs: options.greetingFallbackMs } : {}),
      ...(expiry ? { expiry } : {}),
    };
    this.participant = new RoomParticipant({
      identity: options.identity,
      name: options.name,
      kind: ParticipantInfo_Kind.AGENT,
      attributes: { 'lk.agent.state': 'initializing' },
      canSubscribe: true,
    });
    const video = new PushSource('video', () => this.#player.requestKeyframe());
    const audio = new PushSource('audio');
    this.#player = new AvatarPlayer({
      faces: { idle: options.media.idle, talking: options.media.talking, listening: options.media.listening ?? options.media.idle },
      video,
      audio,
      onAudio: (speaking) => {
        if (speaking) this.#room.speakers.report(this.participant.sid, 0.6);
      },
    });
    this.#voice = new Voice({ player: this.#player, send: (message) => this.#send(message) });

    // Listen before publishing: a visitor already here subscribes while the tracks are published.
    this.#unsubscribe.push(this.#room.subscribe((event) => this.#onRoomEvent(event)));
    this.#room.join(this.participant);
    this.participant.state = ParticipantInfo_State.ACTIVE;
    this.#room.changed(this.participant);
    this.#room.publish(this.participant, {
      info: new TrackInfo({
        sid: newSid('TR_'), type: TrackType.VIDEO, source: TrackSource.CAMERA, name: 'camera',
        width: options.media.idle.width, height: options.media.idle.height, mimeType: 'video/VP8',
      }),
      source: video,
    });
    this.#room.publish(this.participant, {
      info: new TrackInfo({ sid: this.#audioTrackSid, type: TrackType.AUDIO, source: TrackSource.MICROPHONE, name: 'microphone', mimeType: 'audio/opus' }),
      source: audio,
    });
    this.#player.start();

    for (const other of this.#room.active()) this.#considerVisitor(other);
    const tick = setInterval(() => this.#dispatch({ type: 'tick', at: Date.now() }), TICK_MS);
    tick.unref?.();
    this.#unsubscribe.push(() => clearInterval(tick));
    if (options.leaveAfterMs !== undefined) this.#later(() => this.leave(), options.leaveAfterMs);
  }

  /** What the avatar is doing now. */
  get state(): Phase {
    return this.#behaviour.phase;
  }

  /** Everything the avatar knows (its phase, the page's context, the warning's progress). */
  get behaviour(): BehaviourState {
    return this.#behaviour;
  }

  /** Interrupts or restores the avatar's media (fault injection). */
  setMediaPaused(paused: boolean): void {
    this.#player.setPaused(paused);
  }

  /** Leaves the room (the room stays open). Idempotent. */
  leave(): void {
    if (this.#behaviour.phase.name === 'ended') return;
    this.#dispatch({ type: 'stop' });
    this.#dispose();
    this.#room.leave(this.participant, DisconnectReason.CLIENT_INITIATED);
    this.#onLeave?.();
  }

  #onRoomEvent(event: RoomEvent): void {
    switch (event.type) {
      case 'ended':
        this.#dispatch({ type: 'stop' });
        this.#dispose();
        return;
      case 'participant':
        this.#considerVisitor(event.participant);
        return;
      case 'track-published':
        this.#listenTo(event.participant, event.track.info.sid);
        return;
      case 'track-subscribed':
        // The greeting waits for this: before it, the visitor could not hear a word.
        if (event.trackSid === this.#audioTrackSid && event.subscriber !== this.participant) {
          this.#dispatch({ type: 'visitor-subscribed', at: Date.now() });
        }
        return;
      case 'data': {
        const message = pageMessageFor(this.participant, event);
        if (message) this.#dispatch(this.#eventFor(message));
        return;
      }
      default:
        return;
    }
  }

  #eventFor(message: PageMessage): BehaviourEvent {
    return message.type === 'context' ? { type: 'context', content: message.content } : { type: 'typed', at: Date.now(), text: message.text };
  }

  /** Notes a connected visitor (the greeting's clock starts), and listens to its microphone. */
  #considerVisitor(participant: RoomParticipant): void {
    if (participant === this.participant || participant.state !== ParticipantInfo_State.ACTIVE) return;
    this.#dispatch({ type: 'visitor-present', at: Date.now() });
    for (const trackSid of participant.tracks.keys()) this.#listenTo(participant, trackSid);
  }

  #listenTo(participant: RoomParticipant, trackSid: string): void {
    const track = participant.tracks.get(trackSid);
    if (participant === this.participant || !track || track.info.type !== TrackType.AUDIO || this.#listeningTo === trackSid) return;
    this.#listeningTo = trackSid;
    this.#unsubscribe.push(track.source.subscribe((packet) => this.#onVisitorAudio(packet)));
    this.#room.markSubscribed(this.participant, trackSid);
  }

  #onVisitorAudio(packet: MediaPacket): void {
    const at = Date.now();
    this.heardPackets += 1;
    this.#recent.push({ at, payload: packet.payload });
    while (this.#recent[0]!.at < at - RECENT_AUDIO_MS) this.#recent.shift();
    // Only a turn of listening is recorded: what the visitor says while the avatar answers is not part of it.
    if (this.#behaviour.phase.name === 'listening') this.#recording?.push(packet.payload);
    const speech = packet.audioLevel !== undefined ? packet.audioLevel < SPEECH_DBOV : packet.payload.length > 40;
    this.#dispatch({ type: 'visitor-audio', at, speech });
  }

  #dispatch(event: BehaviourEvent): void {
    const { state, commands } = transition(this.#behaviour, event, this.#settings);
    const changed = state.phase.name !== this.#behaviour.phase.name;
    this.#behaviour = state;
    for (const command of commands) this.#run(command);
    if (changed) this.#publishAgentState();
  }

  #run(command: BehaviourCommand): void {
    switch (command.type) {
      case 'face':
        this.#player.setFace(command.face);
        return;
      case 'record-start':
        this.#recording = this.#recent.filter((entry) => entry.at >= command.since).map((entry) => entry.payload);
        return;
      case 'record-discard':
        this.#recording = undefined;
        return;
      case 'hush':
        this.#voice.hush();
        return;
      case 'send':
        this.#send(command.message);
        return;
      case 'say':
        this.#say(command);
        return;
    }
  }

  #say({ line, reply }: Extract<BehaviourCommand, { type: 'say' }>): void {
    let packets: readonly Uint8Array[];
    let text: string;
    if (line === 'echo') {
      packets = this.#recording ?? [];
      text = ECHO_CAPTION;
      this.#recording = undefined;
    } else {
      const spoken = this.#media.lines[line];
      packets = spoken.speech.packets;
      text = reply ? replyCaption(spoken.text, reply.typed, reply.context) : spoken.text;
    }
    void this.#voice.say(packets, text).then((result) => {
      if (result === 'finished') this.#dispatch({ type: 'line-finished' });
    });
  }

  #send(message: AgentMessage): void {
    if (this.participant.state !== ParticipantInfo_State.DISCONNECTED) sendAgentMessage(this.#room, this.participant, message);
  }

  /** LiveKit agents announce their state in the `lk.agent.state` attribute; so does the avatar. */
  #publishAgentState(): void {
    const agentState = { waiting: 'initializing', speaking: 'speaking', idle: 'listening', listening: 'listening', ended: 'initializing' }[this.#behaviour.phase.name];
    if (this.participant.attributes['lk.agent.state'] === agentState || this.participant.state === ParticipantInfo_State.DISCONNECTED) return;
    this.participant.attributes = { ...this.participant.attributes, 'lk.agent.state': agentState };
    this.#room.changed(this.participant);
  }

  #later(run: () => void, ms: number): void {
    const timer = setTimeout(run, ms);
    timer.unref?.();
    this.#timers.push(timer);
  }

  #dispose(): void {
    this.#player.stop();
    for (const timer of this.#timers.splice(0)) clearTimeout(timer);
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
  }
}
