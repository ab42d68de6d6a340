/**
 * The sandbox's LiveKit-protocol server: HTTP for `/rtc/validate`, WebSocket signalling on
 * `/rtc/v1` (one peer connection) and `/rtc` (two), token checks with the real error paths,
 * and participant connections that survive a dropped socket long enough to be resumed.
 */
import { createServer, STATUS_CODES, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { DisconnectReason, LeaveRequest, LeaveRequest_Action, SignalResponse } from '@livekit/protocol';
import { WebSocketServer, type WebSocket } from 'ws';
import { requestToken, verifyAccessToken, TokenError, type ApiCredentials, type JoinGrant } from './auth.js';
import { JoinParamsError, parseJoinParams, type JoinParams } from './join-params.js';
import { RoomParticipant } from './participant.js';
import { ParticipantConnection, type ConnectionSettings } from './participant-connection.js';
import { RoomRegistry } from './room-registry.js';
import type { PeerTransport } from './rtc/peer-transport.js';
import { SignalConnection } from './signal-connection.js';

/** Options of `startLiveKitServer`. */
export interface LiveKitServerOptions {
  credentials: ApiCredentials;
  /** [127.0.0.1] */
  host?: string;
  /** [0: a free port] */
  port?: number;
  settings?: Partial<ConnectionSettings>;
  /** How often each room scores and reports connection quality, in ms [5000, LiveKit's]. */
  qualityIntervalMs?: number;
  /** Builds a peer connection for a participant connection. */
  createTransport: (role: 'publisher' | 'subscriber') => PeerTransport;
}

/** A running server. */
export interface RunningLiveKitServer {
  /** `ws://host:port`, what clients connect to. */
  url: string;
  rooms: RoomRegistry;
  /** Live participant connections (a signalling socket, resumable, and its peer connections), by participant sid. */
  connections: ReadonlyMap<string, ParticipantConnection>;
  /** Ends every room (SERVER_SHUTDOWN) and stops listening. */
  close(): Promise<void>;
}

const DEFAULT_SETTINGS: ConnectionSettings = {
  serverVersion: '1.9.0',
  nodeId: 'ND_sandbox',
  pingIntervalS: 5,
  pingTimeoutS: 15,
  resumeGraceMs: 15_000,
  resumeSupported: true,
};

/**
 * Starts the server.
 *
 * @example
 * const livekit = await startLiveKitServer({ credentials, createTransport: weriftTransportFactory() });
 * // clients connect to livekit.url
 */
export async function startLiveKitServer(options: LiveKitServerOptions): Promise<RunningLiveKitServer> {
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const rooms = new RoomRegistry(options.qualityIntervalMs);
  const connections = new Map<string, ParticipantConnection>();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });

  async function authorise(url: URL, authorization: string | undefined): Promise<{ params: JoinParams; grant: JoinGrant }> {
    const params = parseJoinParams(url);
    if (!params) throw new TokenError(401, 'not a signalling path');
    const grant = await verifyAccessToken(requestToken(authorization, params.token), options.credentials);
    return { params, grant };
  }

  const http = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    // livekit-client fetches this from the page's origin after a refused upgrade.
    response.setHeader('Access-Control-Allow-Origin', '*');
    if (!/^\/rtc(\/v1)?\/validate\/?$/.test(url.pathname)) {
      response.writeHead(404).end('not found');
      return;
    }
    url.pathname = url.pathname.replace(/\/validate\/?$/, '');
    try {
      await authorise(url, request.headers.authorization);
      response.writeHead(200, { 'Content-Type': 'text/plain' }).end('success');
    } catch (error) {
      const status = statusOf(error);
      response.writeHead(status, { 'Content-Type': 'text/plain' }).end(messageOf(error));
    }
  });

  http.on('upgrade', async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    let authorised: { params: JoinParams; grant: JoinGrant };
    try {
      authorised = await authorise(url, request.headers.authorization);
    } catch (error) {
      rejectUpgrade(socket, statusOf(error), messageOf(error));
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      void accept(ws, authorised.params, authorised.grant).catch((error: unknown) => {
        console.error('sandbox livekit: join failed', error);
        ws.close(1011, 'join failed');
      });
    });
  });

  async function accept(ws: WebSocket, params: JoinParams, grant: JoinGrant): Promise<void> {
    if (params.reconnect) {
      const joined = params.participantSid ? connections.get(params.participantSid) : undefined;
      if (!joined || joined.state === 'ended' || joined.participant.identity !== grant.identity) {
        // Nothing to resume: ask for a full reconnect, as the real server does.
        const leave = new LeaveRequest({ reason: DisconnectReason.STATE_MISMATCH, action: LeaveRequest_Action.RECONNECT, canReconnect: true });
        ws.send(new SignalResponse({ message: { case: 'leave', value: leave } }).toBinary());
        ws.close(1000, 'nothing to resume');
        return;
      }
      joined.resume(signalConnection(ws, joined));
      return;
    }

    const room = rooms.getOrCreate(grant.room);
    const participant = new RoomParticipant({
      identity: grant.identity,
      name: grant.name,
      metadata: grant.metadata,
      attributes: grant.attributes,
      canPublish: grant.canPublish,
      canSubscribe: grant.canSubscribe,
      canPublishData: grant.canPublishData,
      clientProtocol: params.clientProtocol,
    });
    const joined = new ParticipantConnection({
      room,
      participant,
      params,
      settings,
      createTransport: options.createTransport,
      onEnded: (ended) => connections.delete(ended.participant.sid),
    });
    const duplicate = [...connections.values()].find((other) => other.room === room && other.participant.identity === grant.identity);
    connections.set(participant.sid, joined);
    if (duplicate) await duplicate.end(DisconnectReason.DUPLICATE_IDENTITY);
    room.join(participant);
    await joined.start(signalConnection(ws, joined));
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;

  return {
    url: `ws://${host.includes(':') ? `[${host}]` : host}:${port}`,
    rooms,
    connections,
    async close() {
      await Promise.all([...connections.values()].map((joined) => joined.end(DisconnectReason.SERVER_SHUTDOWN)));
      for (const room of rooms.list()) rooms.end(room.name, DisconnectReason.SERVER_SHUTDOWN);
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Wraps `ws` as the signalling socket of `owner`. */
function signalConnection(ws: WebSocket, owner: ParticipantConnection): SignalConnection {
  const connection: SignalConnection = new SignalConnection(ws, (message) => owner.handle(message), () => owner.onSocketClosed(connection));
  return connection;
}

function statusOf(error: unknown): number {
  if (error instanceof TokenError) return error.status;
  if (error instanceof JoinParamsError) return 400;
  return 500;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'internal error';
}

function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const body = Buffer.from(message);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${message}`,
  );
}
