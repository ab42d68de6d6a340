/**
 * The sandbox's demo avatar: a participant in the room, living in this process, that
 * publishes a camera (an animated face) and a microphone (its voice), greets the visitor,
 * and repeats back what the visitor said. To livekit-client it is a remote participant like
 * any other; it joins with the identity Equos gave the session's avatar.
 */
import { ParticipantInfo_Kind, ParticipantInfo_State, TrackInfo, TrackSource, TrackType, DisconnectReason } from '@livekit/protocol';
import { newSid } from '../livekit/ids.js';
import { PushSource, type MediaPacket } from '../livekit/media-source.js';
import { RoomParticipant } from '../livekit/participant.js';
import type { RoomEvent, SandboxRoom } from '../livekit/room.js';
import type { AvatarMedia } from '../media/assets.js';
import { transition, type BehaviourCommand, type BehaviourEvent, type BehaviourState } from './behaviour.js';
import { AvatarPlayer } from './player.js';

/** Options of `joinDemoAvatar`. */
export interface DemoAvatarOptions {
  room: SandboxRoom;
  identity: string;
  name: string;
  media: AvatarMedia;
  /** Leave the room after this many ms (fault injection: "the avatar left"). */
  leaveAfterMs?: number;
  /** Wait this long after a visitor is present before greeting, in ms [800]. */
  greetingDelayMs?: number;
}

/** Audio louder than this (in -dBov) counts as the visitor speaking. */
const SPEECH_DBOV = 45;
const TICK_MS = 100;

/** A demo avatar in a room. */
export class DemoAvatar {
  readonly participant: RoomParticipant;
  readonly #room: SandboxRoom;
  readonly #player: AvatarPlayer;
  readonly #media: AvatarMedia;
  readonly #unsubscribe: Array<() => void> = [];
  readonly #timers: Array<ReturnType<typeof setTimeout>> = [];
  #state: BehaviourState = { name: 'waiting' };
  #recording: Uint8Array[] | undefined;
  #listeningTo: string | undefined;
  #greetingScheduled = false;
  /** Visitor audio packets heard, for tests. */
  heardPackets = 0;

  constructor(options: DemoAvatarOptions) {
    this.#room = options.room;
    this.#media = options.media;
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
      info: new TrackInfo({ sid: newSid('TR_'), type: TrackType.AUDIO, source: TrackSource.MICROPHONE, name: 'microphone', mimeType: 'audio/opus' }),
      source: audio,
    });
    this.#player.start();

    this.#unsubscribe.push(this.#room.subscribe((event) => this.#onRoomEvent(event, options.greetingDelayMs ?? 800)));
    for (const other of this.#room.active()) this.#considerVisitor(other, options.greetingDelayMs ?? 800);
    const tick = setInterval(() => this.#dispatch({ type: 'tick', at: Date.now() }), TICK_MS);
    tick.unref?.();
    this.#unsubscribe.push(() => clearInterval(tick));
    if (options.leaveAfterMs !== undefined) this.#later(() => this.leave(), options.leaveAfterMs);
  }

  /** The avatar's current behaviour state. */
  get state(): BehaviourState {
    return this.#state;
  }

  /** Interrupts or restores the avatar's media (fault injection). */
  setMediaPaused(paused: boolean): void {
    this.#player.setPaused(paused);
  }

  /** Leaves the room (the room stays open). Idempotent. */
  leave(): void {
    if (this.#state.name === 'ended') return;
    this.#dispatch({ type: 'stop' });
    this.#dispose();
    this.#room.leave(this.participant, DisconnectReason.CLIENT_INITIATED);
  }

  #onRoomEvent(event: RoomEvent, greetingDelayMs: number): void {
    if (event.type === 'ended') {
      this.#dispatch({ type: 'stop' });
      this.#dispose();
    } else if (event.type === 'participant') {
      this.#considerVisitor(event.participant, greetingDelayMs);
    } else if (event.type === 'track-published') {
      this.#listenTo(event.participant, event.track.info.sid);
    }
  }

  /** Greets the first visitor once it is connected, and listens to its microphone. */
  #considerVisitor(participant: RoomParticipant, greetingDelayMs: number): void {
    if (participant === this.participant || participant.state !== ParticipantInfo_State.ACTIVE) return;
    if (!this.#greetingScheduled) {
      this.#greetingScheduled = true;
      this.#later(() => this.#dispatch({ type: 'start' }), greetingDelayMs);
    }
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
    this.heardPackets += 1;
    this.#recording?.push(packet.payload);
    const speech = packet.audioLevel !== undefined ? packet.audioLevel < SPEECH_DBOV : packet.payload.length > 40;
    this.#dispatch({ type: 'visitor-audio', at: Date.now(), speech });
  }

  #dispatch(event: BehaviourEvent): void {
    const { state, commands } = transition(this.#state, event);
    const changed = state.name !== this.#state.name;
    this.#state = state;
    for (const command of commands) this.#run(command);
    if (changed) this.#publishAgentState();
  }

  #run(command: BehaviourCommand): void {
    switch (command.type) {
      case 'face':
        this.#player.setFace(command.face);
        return;
      case 'record-start':
        this.#recording = [];
        return;
      case 'record-discard':
        this.#recording = undefined;
        return;
      case 'say': {
        const packets =
          command.line === 'greeting' ? this.#media.greeting.packets : command.line === 'heard' ? this.#media.heard.packets : this.#recording ?? [];
        if (command.line === 'echo') this.#recording = undefined;
        void this.#player.say(packets).then(() => this.#dispatch({ type: 'line-finished' }));
        return;
      }
    }
  }

  /** LiveKit agents announce their state in the `lk.agent.state` attribute; so does the avatar. */
  #publishAgentState(): void {
    const agentState = { waiting: 'initializing', speaking: 'speaking', idle: 'listening', listening: 'listening', ended: 'initializing' }[this.#state.name];
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
