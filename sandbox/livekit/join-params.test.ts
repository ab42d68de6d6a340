import { gzipSync } from 'node:zlib';
import {
  ClientInfo,
  ConnectionSettings,
  JoinRequest,
  SessionDescription,
  WrappedJoinRequest,
  WrappedJoinRequest_Compression,
} from '@livekit/protocol';
import { describe, expect, it } from 'vitest';
import { JoinParamsError, parseJoinParams } from './join-params.js';

function wrapped(request: JoinRequest, compression: WrappedJoinRequest_Compression): string {
  const bytes = request.toBinary();
  const joinRequest = compression === WrappedJoinRequest_Compression.GZIP ? gzipSync(bytes) : bytes;
  // livekit-client: standard base64 with + and / swapped, padding kept.
  return Buffer.from(new WrappedJoinRequest({ compression, joinRequest }).toBinary())
    .toString('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

describe('parseJoinParams', () => {
  const request = new JoinRequest({
    clientInfo: new ClientInfo({ protocol: 17, version: '2.23.0' }),
    connectionSettings: new ConnectionSettings({ autoSubscribe: true, adaptiveStream: true }),
    publisherOffer: new SessionDescription({ type: 'offer', sdp: 'v=0\r\n', id: 1 }),
  });

  it.each([WrappedJoinRequest_Compression.GZIP, WrappedJoinRequest_Compression.NONE])(
    'reads the single-pc join request (compression %i) with its first offer',
    (compression) => {
      const url = new URL(`ws://h/rtc/v1?access_token=t&join_request=${wrapped(request, compression)}`);
      expect(parseJoinParams(url)).toMatchObject({
        mode: 'single-pc',
        token: 't',
        autoSubscribe: true,
        adaptiveStream: true,
        protocol: 17,
        reconnect: false,
        publisherOffer: { type: 'offer', id: 1 },
      });
    },
  );

  it('reads a single-pc resume', () => {
    const resume = new JoinRequest({ clientInfo: new ClientInfo({ protocol: 17 }), reconnect: true, participantSid: 'PA_x' });
    const url = new URL(`ws://h/rtc/v1?access_token=t&join_request=${wrapped(resume, WrappedJoinRequest_Compression.GZIP)}`);
    expect(parseJoinParams(url)).toMatchObject({ reconnect: true, participantSid: 'PA_x' });
  });

  it('reads the dual-pc query parameters', () => {
    const url = new URL('ws://h/rtc?access_token=t&auto_subscribe=0&protocol=16&reconnect=1&sid=PA_y&sdk=js&version=2.23.0');
    expect(parseJoinParams(url)).toMatchObject({
      mode: 'dual-pc',
      autoSubscribe: false,
      protocol: 16,
      reconnect: true,
      participantSid: 'PA_y',
      sdkVersion: '2.23.0',
    });
  });

  it('ignores other paths and refuses an undecodable join request', () => {
    expect(parseJoinParams(new URL('ws://h/other'))).toBeNull();
    expect(() => parseJoinParams(new URL('ws://h/rtc/v1?access_token=t'))).toThrow(JoinParamsError);
    expect(() => parseJoinParams(new URL('ws://h/rtc/v1?join_request=%%%'))).toThrow(JoinParamsError);
  });
});
