/**
 * The LiveKit data channels of one peer connection: which channel carries which kind of
 * packet, which one we send on, and the reliable packets that wait for a channel to open.
 *
 * livekit-client 2.23 opens `_reliable`, `_lossy` and `_data_track` on its publisher
 * connection (DataChannelManager.createPublisherChannels) and reads messages on them too; in
 * the two-connection mode the server opens `_reliable` and `_lossy` on the subscriber
 * connection and the client adopts them by label (adoptSubscriberChannel). Both directions of
 * both modes therefore come down to "a channel per label, ours preferred".
 */
import type { DataKind } from './peer-transport.js';

/** What this module needs of a werift `RTCDataChannel` (structural, so tests can fake it). */
export interface DataChannelLike {
  readonly label: string;
  readonly readyState: 'connecting' | 'open' | 'closing' | 'closed';
  /** True for a channel the client opened, false for one we created. */
  readonly isCreatedByRemote: boolean;
  send(data: Buffer): void;
  readonly onMessage: { subscribe(listener: (data: string | Buffer) => void): unknown };
  readonly stateChanged: { subscribe(listener: (state: DataChannelLike['readyState']) => void): unknown };
}

/**
 * Labels that carry `DataPacket`s. `_data_track` is deliberately absent: it carries data-track
 * frames (LiveKit's newer data tracks, a separate feature the sandbox does not implement), not
 * `DataPacket`s, so its messages are ignored and nothing is sent on it.
 */
const KIND_BY_LABEL: ReadonlyMap<string, DataKind> = new Map([
  ['_reliable', 'reliable'],
  ['_lossy', 'lossy'],
]);

/**
 * Reliable packets kept while no channel is open. A visitor's SCTP association comes up a
 * few hundred ms after it joins, so a handful of packets (the avatar's first caption) is the
 * normal case; the bound only protects the process from a client that never opens one.
 */
export const RELIABLE_BACKLOG_LIMIT = 256;

/** The data channels of one peer connection. */
export class DataChannels {
  /** Called for each message received on a `_reliable` or `_lossy` channel. */
  onData?: (kind: DataKind, bytes: Uint8Array) => void;
  /** Channels we created, by kind: preferred for sending. */
  readonly #ours = new Map<DataKind, DataChannelLike>();
  /** Channels the client created, by kind. */
  readonly #theirs = new Map<DataKind, DataChannelLike>();
  /** Reliable packets waiting for a channel, oldest first. */
  readonly #backlog: Uint8Array[] = [];
  #overflowReported = false;
  #closed = false;

  /** Reliable packets still waiting for a channel to open. */
  get backlog(): number {
    return this.#backlog.length;
  }

  /** Takes over a channel, ours or the client's; channels of other labels are ignored. */
  add(channel: DataChannelLike): void {
    const kind = KIND_BY_LABEL.get(channel.label);
    if (!kind || this.#closed) return;
    const channels = channel.isCreatedByRemote ? this.#theirs : this.#ours;
    channels.set(kind, channel);
    channel.onMessage.subscribe((data) => this.#receive(kind, data));
    channel.stateChanged.subscribe((state) => {
      if (state === 'open' && kind === 'reliable') this.#flush();
      if (state === 'closed' && channels.get(kind) === channel) channels.delete(kind);
    });
    if (kind === 'reliable') this.#flush();
  }

  /** Sends a packet, or keeps it for later (reliable) or drops it (lossy) when no channel is open. */
  send(kind: DataKind, bytes: Uint8Array): void {
    if (this.#closed) return;
    if (kind === 'lossy') {
      const channel = this.#openChannel('lossy');
      if (channel) this.#write(channel, bytes);
      return;
    }
    if (this.#backlog.length >= RELIABLE_BACKLOG_LIMIT) {
      this.#reportOverflow();
      return;
    }
    // Through the backlog even when a channel is open, so a packet never overtakes older ones.
    this.#backlog.push(bytes);
    this.#flush();
  }

  /** Forgets every channel and waiting packet (the peer connection is closing). */
  close(): void {
    this.#closed = true;
    this.#backlog.length = 0;
    this.#ours.clear();
    this.#theirs.clear();
  }

  #receive(kind: DataKind, data: string | Buffer): void {
    // livekit-client sends binary; a text message can only be garbage and fails to decode.
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    try {
      this.onData?.(kind, bytes);
    } catch (error) {
      // Inside werift's SCTP receive path: a failing handler must not break the association.
      console.error(`sandbox data channel ${kind}: handler failed`, error);
    }
  }

  #openChannel(kind: DataKind): DataChannelLike | undefined {
    return [this.#ours.get(kind), this.#theirs.get(kind)].find((channel) => channel?.readyState === 'open');
  }

  #flush(): void {
    const channel = this.#openChannel('reliable');
    if (!channel) return;
    for (const bytes of this.#backlog.splice(0)) this.#write(channel, bytes);
  }

  #write(channel: DataChannelLike, bytes: Uint8Array): void {
    try {
      // A view, not a copy: werift only reads it, and packets are never reused by their senders.
      channel.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (error) {
      // werift throws for a message larger than the client's max-message-size; LiveKit drops it.
      console.warn(`sandbox data channel ${channel.label}: packet of ${bytes.byteLength} bytes dropped`, error);
    }
  }

  #reportOverflow(): void {
    if (this.#overflowReported) return;
    this.#overflowReported = true;
    console.warn(`sandbox data channel _reliable: never opened; dropping packets beyond the first ${RELIABLE_BACKLOG_LIMIT}`);
  }
}
