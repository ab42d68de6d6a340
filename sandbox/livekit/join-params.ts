/**
 * What a client asks for when it opens the signalling socket, from either URL form
 * livekit-client 2.x uses:
 *
 * - `/rtc/v1?access_token=…&join_request=…`: a base64url `WrappedJoinRequest` (gzip or not)
 *   holding a `JoinRequest`, usually with the first publisher offer inside. One peer
 *   connection.
 * - `/rtc?access_token=…&auto_subscribe=1&protocol=…&reconnect=1&sid=…`: the older query
 *   parameters. Two peer connections (the server offers the subscriber one).
 */
import { gunzipSync } from 'node:zlib';
import {
  JoinRequest,
  SessionDescription,
  WrappedJoinRequest,
  WrappedJoinRequest_Compression,
} from '@livekit/protocol';

/** The signalling mode a client asked for. */
export type SignalMode = 'single-pc' | 'dual-pc';

/** A join (or resume) request, whichever path it came by. */
export interface JoinParams {
  mode: SignalMode;
  token: string | null;
  autoSubscribe: boolean;
  adaptiveStream: boolean;
  /** The client's protocol version (17 for livekit-client 2.23). */
  protocol: number;
  /**
   * The client's feature level (livekit-client 2.23: 2, RPC and text over data streams). The
   * server shows it to the other participants in `ParticipantInfo.clientProtocol`, and their
   * clients pick the data-packet paths both sides speak by it.
   */
  clientProtocol: number;
  /** A resume of an existing participant's session rather than a new join. */
  reconnect: boolean;
  /** The participant being resumed. */
  participantSid?: string;
  /** The first publisher offer, sent inside the join request (single-pc only). */
  publisherOffer?: SessionDescription;
  sdk: string;
  sdkVersion: string;
}

/** A request we cannot make sense of. */
export class JoinParamsError extends Error {
  override name = 'JoinParamsError';
}

/**
 * Reads the join parameters from the WebSocket URL.
 *
 * @returns `null` when the path is not a signalling path at all
 * @throws JoinParamsError when `join_request` cannot be decoded
 */
export function parseJoinParams(url: URL): JoinParams | null {
  const path = url.pathname.replace(/\/+$/, '');
  const token = url.searchParams.get('access_token');
  if (path === '/rtc/v1') return fromWrappedJoinRequest(url.searchParams.get('join_request'), token);
  if (path === '/rtc') return fromQuery(url.searchParams, token);
  return null;
}

function fromWrappedJoinRequest(encoded: string | null, token: string | null): JoinParams {
  if (!encoded) throw new JoinParamsError('join_request is missing');
  if (!/^[\w-]+={0,2}$/.test(encoded)) throw new JoinParamsError('join_request is not base64url');
  let request: JoinRequest;
  try {
    const wrapped = WrappedJoinRequest.fromBinary(Buffer.from(encoded, 'base64url'));
    const bytes =
      wrapped.compression === WrappedJoinRequest_Compression.GZIP ? gunzipSync(wrapped.joinRequest) : wrapped.joinRequest;
    request = JoinRequest.fromBinary(bytes);
  } catch (error) {
    throw new JoinParamsError(`join_request cannot be decoded: ${error instanceof Error ? error.message : String(error)}`);
  }
  const settings = request.connectionSettings;
  return {
    mode: 'single-pc',
    token,
    autoSubscribe: settings?.autoSubscribe ?? true,
    adaptiveStream: settings?.adaptiveStream ?? false,
    protocol: request.clientInfo?.protocol ?? 0,
    clientProtocol: request.clientInfo?.clientProtocol ?? 0,
    reconnect: request.reconnect,
    ...(request.participantSid ? { participantSid: request.participantSid } : {}),
    ...(request.publisherOffer?.sdp ? { publisherOffer: request.publisherOffer } : {}),
    sdk: String(request.clientInfo?.sdk ?? ''),
    sdkVersion: request.clientInfo?.version ?? '',
  };
}

function fromQuery(query: URLSearchParams, token: string | null): JoinParams {
  const flag = (name: string, fallback: boolean) => {
    const value = query.get(name);
    return value === null ? fallback : value === '1' || value === 'true';
  };
  const sid = query.get('sid');
  return {
    mode: 'dual-pc',
    token,
    autoSubscribe: flag('auto_subscribe', true),
    adaptiveStream: flag('adaptive_stream', false),
    protocol: Number(query.get('protocol') ?? 0) || 0,
    clientProtocol: Number(query.get('client_protocol') ?? 0) || 0,
    reconnect: flag('reconnect', false),
    ...(sid ? { participantSid: sid } : {}),
    sdk: query.get('sdk') ?? '',
    sdkVersion: query.get('version') ?? '',
  };
}
