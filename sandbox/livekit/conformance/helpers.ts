/**
 * Shared steps of the conformance suite: plain livekit-client (no widget) in Chromium
 * against the sandbox. Everything here is what any LiveKit app would do.
 */
import { Room, RoomEvent, Track, type RemoteParticipant, type RemoteTrack, type RoomOptions } from 'livekit-client';
import { createSession, waitFor } from '../../testing/sandbox-commands.js';

/** A connected room and the session behind it. */
export interface Joined {
  room: Room;
  sessionId: string;
  avatarIdentity: string;
  /** Events seen, in order, as `Name` or `Name:detail`. */
  events: string[];
}

/** Rooms opened by a test, disconnected after it. */
const opened: Room[] = [];

/** Disconnects every room a test opened (call in afterEach). */
export async function disconnectAll(): Promise<void> {
  await Promise.all(opened.splice(0).map((room) => room.disconnect()));
  for (const element of document.querySelectorAll('video, audio')) element.remove();
}

/** A Room that `disconnectAll` disconnects after the test. */
export function openRoom(options: Partial<RoomOptions> = {}): Room {
  const room = new Room({ adaptiveStream: false, dynacast: false, ...options });
  opened.push(room);
  return room;
}

/** Creates a session in the sandbox and connects a Room to it. */
export async function joinSession(
  options: { scenario?: unknown; roomOptions?: Partial<RoomOptions>; maxDuration?: number } = {},
): Promise<Joined> {
  const session = await createSession({
    ...(options.scenario === undefined ? {} : { scenario: options.scenario }),
    ...(options.maxDuration === undefined ? {} : { maxDuration: options.maxDuration }),
  });
  const room = openRoom(options.roomOptions);
  const events = recordEvents(room);
  await room.connect(session.serverUrl, session.token);
  return { room, sessionId: session.sessionId, avatarIdentity: session.avatarIdentity, events };
}

/** Records the room events a UI reacts to. */
export function recordEvents(room: Room): string[] {
  const events: string[] = [];
  room
    .on(RoomEvent.Connected, () => events.push('Connected'))
    .on(RoomEvent.Reconnecting, () => events.push('Reconnecting'))
    .on(RoomEvent.SignalReconnecting, () => events.push('SignalReconnecting'))
    .on(RoomEvent.Reconnected, () => events.push('Reconnected'))
    .on(RoomEvent.Disconnected, (reason) => events.push(`Disconnected:${reason}`))
    .on(RoomEvent.ParticipantConnected, (participant) => events.push(`ParticipantConnected:${participant.identity}`))
    .on(RoomEvent.ParticipantDisconnected, (participant) => events.push(`ParticipantDisconnected:${participant.identity}`))
    .on(RoomEvent.TrackSubscribed, (track) => events.push(`TrackSubscribed:${track.kind}`))
    .on(RoomEvent.TrackUnsubscribed, (track) => events.push(`TrackUnsubscribed:${track.kind}`))
    .on(RoomEvent.LocalTrackSubscribed, (publication) => events.push(`LocalTrackSubscribed:${publication.kind}`));
  return events;
}

/** The avatar participant once it has joined. */
export async function avatarOf(joined: Joined, timeoutMs = 10_000): Promise<RemoteParticipant> {
  const participant = await waitFor(
    () => joined.room.remoteParticipants.get(joined.avatarIdentity),
    (found) => found !== undefined,
    timeoutMs,
    'the avatar to join',
  );
  return participant!;
}

/** The avatar's subscribed track of `kind`, once it is subscribed. */
export async function avatarTrack(joined: Joined, kind: 'video' | 'audio', timeoutMs = 10_000): Promise<RemoteTrack> {
  const avatar = await avatarOf(joined, timeoutMs);
  const source = kind === 'video' ? Track.Source.Camera : Track.Source.Microphone;
  const publication = await waitFor(
    () => avatar.getTrackPublication(source),
    (found) => found?.track !== undefined && found.isSubscribed,
    timeoutMs,
    `the avatar's ${kind} to be subscribed`,
  );
  return publication!.track!;
}

/** Attaches a video track and resolves once `frames` frames have been rendered. */
export async function renderFrames(track: RemoteTrack, frames = 10, timeoutMs = 10_000): Promise<HTMLVideoElement> {
  const video = track.attach() as HTMLVideoElement;
  video.muted = true;
  document.body.append(video);
  await countFrames(video, frames, timeoutMs);
  return video;
}

/** Resolves once `video` has presented `frames` more frames. */
export function countFrames(video: HTMLVideoElement, frames: number, timeoutMs = 10_000): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    const timer = setTimeout(() => reject(new Error(`only ${seen} of ${frames} frames rendered in ${timeoutMs} ms`)), timeoutMs);
    const onFrame = () => {
      seen += 1;
      if (seen >= frames) {
        clearTimeout(timer);
        resolve(seen);
      } else {
        video.requestVideoFrameCallback(onFrame);
      }
    };
    video.requestVideoFrameCallback(onFrame);
    void video.play().catch(() => {});
  });
}

/** Inbound RTP stats of a subscribed track. */
export async function inboundStats(track: RemoteTrack): Promise<{ packetsReceived: number; audioLevel?: number; framesDecoded?: number }> {
  const report = await track.receiver?.getStats();
  let found: { packetsReceived: number; audioLevel?: number; framesDecoded?: number } = { packetsReceived: 0 };
  report?.forEach((entry) => {
    if (entry.type === 'inbound-rtp') found = entry;
  });
  return found;
}

/** Waits until `events` contains `event`. */
export function waitForEvent(events: string[], event: string, timeoutMs = 10_000): Promise<string[]> {
  return waitFor(() => events, (seen) => seen.includes(event), timeoutMs, `event ${event}`);
}
