/**
 * The local stand-in for Equos Cloud that `npm start` runs when no `EQUOS_API_KEY` is set,
 * and that the end-to-end tests run against: the Equos session API double, a LiveKit-protocol
 * server, and a demo avatar that joins each session's room like the real one does.
 *
 * Rooms follow sessions: creating a session opens its room (named after the session id) and
 * sends the avatar in shortly after; stopping it, or its maximum duration passing, ends the
 * room and disconnects everyone with ROOM_DELETED.
 *
 * Everything listens on 127.0.0.1 only: both servers and the LiveKit server's media.
 */
import { randomBytes } from 'node:crypto';
import { DisconnectReason } from '@livekit/protocol';
import { DemoAvatar } from './avatar/demo-avatar.js';
import type { LiveKitCredentials } from './equos-api/livekit-token.js';
import { startEquosApiDouble, type RunningEquosApiDouble } from './equos-api/server.js';
import { controlRoutes } from './control/routes.js';
import { SessionScenarios, type SessionScenario } from './control/scenarios.js';
import { startLiveKitServer, type RunningLiveKitServer } from './livekit/server.js';
import { createWeriftTransportFactory, warmUpWerift } from './livekit/rtc/werift-transport.js';
import { loadAvatarMedia } from './media/assets.js';

/** Where a client finds the sandbox's Equos API: the same two values as for Equos Cloud. */
export interface SandboxEquosEndpoint {
  apiKey: string;
  /** Base URL without the version prefix, e.g. `http://127.0.0.1:41234`. */
  endpoint: string;
}

/** Options of `startLocalSandbox`. */
export interface LocalSandboxOptions {
  /** The Equos API key the double accepts [a random one]. */
  apiKey?: string;
  /** [0: a free port] */
  equosPort?: number;
  /** [0: a free port] */
  livekitPort?: number;
  /** What happens in sessions when no scenario is queued. */
  defaultScenario?: SessionScenario;
  /** How often rooms report connection quality, in ms [5000, LiveKit's; tests shorten it]. */
  qualityIntervalMs?: number;
}

/** A running local sandbox. */
export interface LocalSandbox {
  /** Where a client (the token server) finds the sandbox's Equos API. */
  equos: SandboxEquosEndpoint;
  api: RunningEquosApiDouble;
  livekit: RunningLiveKitServer;
  /** The demo avatar's picture (for a launcher). */
  avatarThumbnailUrl: string;
  /** The key and secret the LiveKit server accepts tokens from. */
  livekitCredentials: LiveKitCredentials;
  /** Plans for the next sessions (faults), consumed one per created session. */
  scenarios: SessionScenarios;
  /** The demo avatar of each open session, by session id. */
  avatars: ReadonlyMap<string, DemoAvatar>;
  close(): Promise<void>;
}

/** The LiveKit API credentials the double signs visitor tokens with. */
const LIVEKIT_API_KEY = 'sandbox';

/**
 * Starts the sandbox.
 *
 * @example
 * const sandbox = await startLocalSandbox();
 * // EQUOS_ENDPOINT=sandbox.equos.endpoint, EQUOS_API_KEY=sandbox.equos.apiKey
 */
export async function startLocalSandbox(options: LocalSandboxOptions = {}): Promise<LocalSandbox> {
  const apiKey = options.apiKey ?? `sandbox_${randomBytes(18).toString('base64url')}`;
  const credentials = { apiKey: LIVEKIT_API_KEY, apiSecret: randomBytes(32).toString('base64url') };
  const [media] = await Promise.all([loadAvatarMedia(), warmUpWerift()]);
  const scenarios = new SessionScenarios(options.defaultScenario);
  const avatars = new Map<string, DemoAvatar>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (run: () => void, ms: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timer.unref?.();
    timers.add(timer);
  };

  const livekit = await startLiveKitServer({
    credentials,
    port: options.livekitPort ?? 0,
    ...(options.qualityIntervalMs !== undefined ? { qualityIntervalMs: options.qualityIntervalMs } : {}),
    createTransport: createWeriftTransportFactory(),
  });
  const api = await startEquosApiDouble({
    apiKey,
    port: options.equosPort ?? 0,
    livekit: { url: livekit.url, ...credentials },
    thumbnails: { 'sandbox-avatar': media.thumbnailPng, 'sandbox-character': media.thumbnailPng },
    extend: (app) => app.route('/__sandbox', controlRoutes({ livekit, scenarios, avatars })),
  });

  api.state.subscribe({
    started(session) {
      const room = livekit.rooms.getOrCreate(session.id);
      const scenario = scenarios.next();
      if (scenario.avatar.never) return;
      /** The avatar joins (again, for a scenario's return: a new participant, the same identity, its tracks published anew). */
      const join = (leaveAfterMs: number | undefined) => {
        if (room.ended) return;
        avatars.set(
          session.id,
          new DemoAvatar({
            room,
            identity: session.avatar.identity,
            name: session.avatar.name,
            media,
            // Both API generations land here as one session: v3's maxSeconds is its maxDuration.
            session: {
              startedAtMs: Date.parse(session.startedAt),
              ...(session.maxDuration ? { maxDurationMs: session.maxDuration * 1000 } : {}),
            },
            ...(leaveAfterMs !== undefined ? { leaveAfterMs } : {}),
            ...(scenario.avatar.expireLeadMs !== undefined ? { expireLeadMs: scenario.avatar.expireLeadMs } : {}),
            ...(leaveAfterMs !== undefined && scenario.avatar.returnAfterMs !== undefined
              ? { onLeave: () => later(() => join(undefined), scenario.avatar.returnAfterMs!) }
              : {}),
          }),
        );
      };
      later(() => join(scenario.avatar.leaveAfterMs), scenario.avatar.joinDelayMs);
    },
    ended(session) {
      avatars.delete(session.id);
      livekit.rooms.end(session.id, DisconnectReason.ROOM_DELETED);
    },
  });

  return {
    equos: { apiKey, endpoint: api.url },
    api,
    livekit,
    livekitCredentials: { url: livekit.url, ...credentials },
    avatarThumbnailUrl: `${api.url}/avatars/sandbox-avatar.png`,
    scenarios,
    avatars,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      await api.close();
      await livekit.close();
    },
  };
}
