/**
 * One signalling WebSocket: decodes `SignalRequest`s, hands them to a handler strictly one
 * after another (overlapping handlers would interleave offers and answers), and encodes
 * `SignalResponse`s in the format the client speaks (binary protobuf; JSON if it sent JSON).
 */
import { SignalRequest, SignalResponse } from '@livekit/protocol';
import type { WebSocket } from 'ws';

/** A request's `message` union. */
export type SignalMessage = NonNullable<SignalRequest['message']>;
/** A response's `message` union, minus its `undefined` case. */
export type SignalResponseMessage = Exclude<SignalResponse['message'], { case: undefined }>;

/** Wraps a connected socket. */
export class SignalConnection {
  readonly #socket: WebSocket;
  #json = false;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  /**
   * @param onMessage handles each request; runs only after the previous one settled
   * @param onClose called once when the socket closes, for whatever reason
   */
  constructor(socket: WebSocket, onMessage: (message: SignalMessage) => Promise<void> | void, onClose: (code: number) => void) {
    this.#socket = socket;
    socket.on('message', (data, isBinary) => {
      let request: SignalRequest;
      try {
        if (isBinary) {
          request = SignalRequest.fromBinary(toBytes(data));
        } else {
          this.#json = true;
          request = SignalRequest.fromJsonString(data.toString(), { ignoreUnknownFields: true });
        }
      } catch {
        return; // An undecodable message is dropped, as the LiveKit server does.
      }
      const message = request.message;
      if (!message.case) return;
      this.#queue = this.#queue.then(
        () => onMessage(message as SignalMessage),
      ).catch((error: unknown) => {
        console.error('sandbox signal: handler failed', error);
      });
    });
    socket.once('close', (code) => {
      this.#closed = true;
      onClose(code);
    });
    socket.on('error', () => {
      // 'close' follows every error; nothing to add.
    });
  }

  /** Sends one response; silently dropped once the socket is closed. */
  send(message: SignalResponseMessage): void {
    if (this.#closed || this.#socket.readyState !== this.#socket.OPEN) return;
    const response = new SignalResponse({ message });
    this.#socket.send(this.#json ? response.toJsonString() : response.toBinary());
  }

  /** Closes cleanly (close frame 1000). */
  close(reason = 'server closed the connection'): void {
    if (this.#closed) return;
    this.#socket.close(1000, reason.slice(0, 120));
  }

  /** Drops the TCP connection without a close frame, as a network failure would. */
  drop(): void {
    this.#socket.terminate();
  }
}

function toBytes(data: unknown): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data as Buffer;
}
