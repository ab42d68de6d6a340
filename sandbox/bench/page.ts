/**
 * The browser side of the sandbox benchmark: plain livekit-client, as any LiveKit app would
 * use it. Bundled by esbuild and driven from rtc.bench.ts.
 */
import { Room, RoomEvent, Track, type RemoteTrack } from 'livekit-client';

const rooms: Room[] = [];

/** Resolves with the first frame a video element presents for `track`. */
function firstFrame(track: RemoteTrack): Promise<HTMLVideoElement> {
  const video = track.attach() as HTMLVideoElement;
  video.muted = true;
  document.body.append(video);
  return new Promise((resolve) => video.requestVideoFrameCallback(() => resolve(video)));
}

/** Milliseconds from `room.connect()` to the avatar's first rendered frame. */
async function timeToFirstFrame(url: string, token: string, avatarIdentity: string): Promise<number> {
  const room = new Room({ adaptiveStream: false, dynacast: false });
  const started = performance.now();
  const subscribed = new Promise<RemoteTrack>((resolve) =>
    room.on(RoomEvent.TrackSubscribed, (track, _publication, participant) => {
      if (participant.identity === avatarIdentity && track.source === Track.Source.Camera) resolve(track);
    }),
  );
  await room.connect(url, token);
  await firstFrame(await subscribed);
  const elapsed = performance.now() - started;
  await room.disconnect();
  document.body.replaceChildren();
  return elapsed;
}

/** Joins and stays: the avatar's video rendered, the fake microphone published. */
async function stay(url: string, token: string): Promise<void> {
  const room = new Room({ adaptiveStream: false, dynacast: false });
  rooms.push(room);
  room.on(RoomEvent.TrackSubscribed, (track) => {
    if (track.kind === 'video') void firstFrame(track);
    else document.body.append(track.attach());
  });
  await room.connect(url, token);
  await room.localParticipant.setMicrophoneEnabled(true);
}

/** Frames decoded and audio packets received so far, summed over every staying room. */
async function received(): Promise<{ framesDecoded: number; audioPackets: number; rooms: number; connected: number }> {
  let framesDecoded = 0;
  let audioPackets = 0;
  for (const room of rooms) {
    for (const participant of room.remoteParticipants.values()) {
      for (const publication of participant.trackPublications.values()) {
        const stats = await publication.track?.receiver?.getStats();
        stats?.forEach((entry) => {
          if (entry.type !== 'inbound-rtp') return;
          framesDecoded += entry.framesDecoded ?? 0;
          if (entry.kind === 'audio') audioPackets += entry.packetsReceived ?? 0;
        });
      }
    }
  }
  return { framesDecoded, audioPackets, rooms: rooms.length, connected: rooms.filter((room) => room.state === 'connected').length };
}

/** Leaves every staying room. */
async function leaveAll(): Promise<void> {
  await Promise.all(rooms.splice(0).map((room) => room.disconnect()));
}

Object.assign(window, { bench: { timeToFirstFrame, stay, received, leaveAll } });
