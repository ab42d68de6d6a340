/**
 * Negotiation of the werift transport against a werift "browser" that offers the way
 * livekit-client does (receive placeholders, then a microphone, then more sections). Only the
 * SDP exchange is exercised here; media over a real connection is proven by the browser
 * conformance suite.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaStream, MediaStreamTrack, RTCPeerConnection } from 'werift';
import { PushSource } from '../media-source.js';
import type { UpTrack } from './peer-transport.js';
import { splitSdp } from './sdp.js';
import { WeriftTransport } from './werift-transport.js';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function browserLike() {
  // ICE-lite here only so that creating offers does no STUN lookups; nothing connects.
  const pc = new RTCPeerConnection({ iceLite: true, iceServers: [], iceUseIpv6: false, iceAdditionalHostAddresses: ['127.0.0.1'] });
  closers.push(() => pc.close());
  pc.createDataChannel('_reliable');
  return pc;
}

function transport() {
  const server = new WeriftTransport('127.0.0.1');
  closers.push(() => server.close());
  const upTracks: UpTrack[] = [];
  server.onUpTrack = (track) => upTracks.push(track);
  return { server, upTracks };
}

async function offer(pc: RTCPeerConnection, options: { iceRestart?: boolean } = {}): Promise<string> {
  if (options.iceRestart) for (const ice of pc.iceTransports) ice.restart();
  await pc.setLocalDescription(await pc.createOffer());
  return pc.localDescription!.sdp;
}

const section = (sdp: string, mid: string) => splitSdp(sdp).media.find((lines) => lines.includes(`a=mid:${mid}`))!;

describe('WeriftTransport negotiation', () => {
  it('binds queued tracks to offered receive sections with LiveKit stream ids, and keeps the rest alive', async () => {
    const browser = browserLike();
    for (let i = 0; i < 2; i += 1) {
      browser.addTransceiver('audio', { direction: 'recvonly' });
      browser.addTransceiver('video', { direction: 'recvonly' });
    }
    const { server } = transport();
    server.addDownTrack({ trackSid: 'TR_cam', participantSid: 'PA_avatar', kind: 'video', source: new PushSource('video') });
    server.addDownTrack({ trackSid: 'TR_mic', participantSid: 'PA_avatar', kind: 'audio', source: new PushSource('audio') });

    const { sdp, midToTrackId } = await server.answer(await offer(browser));
    expect(Object.values(midToTrackId).sort()).toEqual(['TR_cam', 'TR_mic']);
    for (const [mid, trackSid] of Object.entries(midToTrackId)) {
      expect(section(sdp, mid)).toContain(`a=msid:PA_avatar|${trackSid} ${trackSid}`);
      expect(section(sdp, mid)).toContain('a=sendonly');
    }
    const unused = splitSdp(sdp).media.filter((lines) => lines.includes('a=inactive'));
    expect(unused).toHaveLength(2);
    for (const lines of unused) expect(lines[0]!.split(' ')[1]).not.toBe('0');
    expect(server.unboundDownTracks()).toEqual({ audio: 0, video: 0 });
    await browser.setRemoteDescription({ type: 'answer', sdp });
  });

  it("announces the browser's microphone with its msid track id (the AddTrack cid)", async () => {
    const browser = browserLike();
    browser.addTransceiver('video', { direction: 'recvonly' });
    // (In the first offer: werift as an offerer reorders m-lines on renegotiation, which
    // Chrome never does, so it cannot stand in for a mic published later.)
    const sender = browser.addTransceiver(new MediaStreamTrack({ kind: 'audio' }), { direction: 'sendonly' }).sender;
    sender.setStreams([new MediaStream({ id: 'local-stream' })]);
    const { server, upTracks } = transport();
    const { sdp } = await server.answer(await offer(browser));
    expect(upTracks.map(({ kind, msidTrackId }) => ({ kind, msidTrackId }))).toEqual([{ kind: 'audio', msidTrackId: sender.trackId }]);
    expect(section(sdp, upTracks[0]!.mid)).toContain('a=recvonly');
  });

  it('binds a track that arrives later to a section appended by a re-offer, without losing mids', async () => {
    const browser = browserLike();
    browser.addTransceiver('audio', { direction: 'recvonly' });
    const { server } = transport();
    await browser.setRemoteDescription({ type: 'answer', sdp: (await server.answer(await offer(browser))).sdp });

    server.addDownTrack({ trackSid: 'TR_late', participantSid: 'PA_avatar', kind: 'video', source: new PushSource('video') });
    expect(server.unboundDownTracks()).toEqual({ audio: 0, video: 1 });
    browser.addTransceiver('video', { direction: 'recvonly' }); // what mediaSectionsRequirement asks for
    const second = await server.answer(await offer(browser));
    expect(Object.values(second.midToTrackId)).toEqual(['TR_late']);
    await browser.setRemoteDescription({ type: 'answer', sdp: second.sdp });

    // A no-op re-offer keeps the same binding (werift must not recycle the used sections).
    const third = await server.answer(await offer(browser));
    expect(third.midToTrackId).toEqual(second.midToTrackId);
  });

  it('answers an ICE restart with new credentials', async () => {
    const browser = browserLike();
    browser.addTransceiver('audio', { direction: 'recvonly' });
    const { server } = transport();
    const first = await server.answer(await offer(browser));
    await browser.setRemoteDescription({ type: 'answer', sdp: first.sdp });
    const restarted = await server.answer(await offer(browser, { iceRestart: true }));
    const ufrag = (sdp: string) => /a=ice-ufrag:(\S+)/.exec(sdp)?.[1];
    expect(ufrag(restarted.sdp)).toBeTruthy();
    expect(ufrag(restarted.sdp)).not.toBe(ufrag(first.sdp));
  });

  it('frees the section of a removed track at the next negotiation', async () => {
    const browser = browserLike();
    browser.addTransceiver('video', { direction: 'recvonly' });
    const { server } = transport();
    server.addDownTrack({ trackSid: 'TR_gone', participantSid: 'PA_avatar', kind: 'video', source: new PushSource('video') });
    const first = await server.answer(await offer(browser));
    await browser.setRemoteDescription({ type: 'answer', sdp: first.sdp });
    server.removeDownTrack('TR_gone');
    const second = await server.answer(await offer(browser));
    expect(second.midToTrackId).toEqual({});
    const mid = Object.keys(first.midToTrackId)[0]!;
    expect(section(second.sdp, mid)).toContain('a=inactive');
  });
});

/** Offers captured from firefox-esr 153 running livekit-client 2.23 (see fixtures/README.md). */
const firefox = (name: string) => readFileSync(new URL(`./fixtures/${name}.sdp`, import.meta.url), 'utf8');
const portsOf = (sdp: string) => splitSdp(sdp).media.map((lines) => lines[0]!.split(' ')[1]);
const bundleOf = (sdp: string) => splitSdp(sdp).session.find((line) => line.startsWith('a=group:BUNDLE'));

describe('WeriftTransport with Firefox', () => {
  it("accepts and bundles every section of Firefox's first offer, bundle-only ones included", async () => {
    const { server } = transport();
    server.addDownTrack({ trackSid: 'TR_cam', participantSid: 'PA_avatar', kind: 'video', source: new PushSource('video') });
    server.addDownTrack({ trackSid: 'TR_mic', participantSid: 'PA_avatar', kind: 'audio', source: new PushSource('audio') });
    const { sdp, midToTrackId } = await server.answer(firefox('firefox-153-first-offer'));
    // Only 0, 3 and 8 had a port in the offer; answered with port 0 (and left out of BUNDLE),
    // Firefox takes the other six for rejected and drops them.
    expect(portsOf(sdp)).toEqual(Array(9).fill('9'));
    expect(bundleOf(sdp)).toBe('a=group:BUNDLE 0 1 2 3 4 5 6 7 8');
    expect(midToTrackId).toEqual({ '0': 'TR_mic', '3': 'TR_cam' });
  });

  it("finds the microphone Firefox publishes by re-offer, in a bundle-only section, by its msid track id", async () => {
    const { server, upTracks } = transport();
    await server.answer(firefox('firefox-153-first-offer'));
    const { sdp } = await server.answer(firefox('firefox-153-mic-offer'));
    expect(portsOf(sdp)).toEqual(Array(10).fill('9'));
    expect(bundleOf(sdp)).toBe('a=group:BUNDLE 0 1 2 3 4 5 6 7 8 9');
    // livekit-client's AddTrack cid was the MediaStreamTrack id {d076d5ba-…}: only the kind matches (pending-tracks.ts).
    expect(upTracks.map(({ mid, kind, msidTrackId }) => ({ mid, kind, msidTrackId }))).toEqual([
      { mid: '9', kind: 'audio', msidTrackId: '{c7350d50-7c15-4d50-a49d-bf27db0ce66d}' },
    ]);
    expect(section(sdp, '9')).toContain('a=recvonly');
  });

  it('answers an offer with rejected sections (no codec in them) instead of failing, and finds the microphone', async () => {
    const { server, upTracks } = transport();
    const { sdp } = await server.answer(firefox('firefox-153-offer-with-rejected-sections'));
    expect(portsOf(sdp)).toEqual(['9', '9', '0', '9', '0', '0', '0', '0', '9']);
    expect(bundleOf(sdp)).toBe('a=group:BUNDLE 0 9 3 8');
    expect(upTracks.map(({ mid, kind, msidTrackId }) => ({ mid, kind, msidTrackId }))).toEqual([
      { mid: '9', kind: 'audio', msidTrackId: '{cc8b53b7-f4d0-4864-bbeb-167f1c56b14a}' },
    ]);
  });

  it('writes a=ice-lite once, at the session level, in its answers and in its own offers', async () => {
    const { server } = transport();
    server.addDownTrack({ trackSid: 'TR_cam', participantSid: 'PA_avatar', kind: 'video', source: new PushSource('video') });
    const { sdp: answer } = await server.answer(firefox('firefox-153-first-offer'));
    const { sdp: offer } = await transport().server.createOffer();
    for (const description of [answer, offer]) {
      const { session, media } = splitSdp(description);
      expect(session.filter((line) => line === 'a=ice-lite')).toHaveLength(1);
      expect(media.flat()).not.toContain('a=ice-lite');
    }
  });
});
