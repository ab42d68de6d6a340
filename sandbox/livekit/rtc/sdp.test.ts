import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  fixAnswer,
  iceLiteAtSessionLevel,
  iceUfragOf,
  isMdnsCandidate,
  isRejected,
  midsOf,
  msidTrackIdsByMid,
  offerForWerift,
  splitSdp,
  stripMdnsCandidates,
} from './sdp.js';

const sdp = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;

/** An offer like livekit-client's: a rejected (stopped) section 1, receive placeholders, a mic. */
const offer = sdp(
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 2 3',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=ice-ufrag:AbCd',
  'a=mid:0',
  'a=recvonly',
  'm=video 0 UDP/TLS/RTP/SAVPF 96',
  'a=mid:1',
  'a=inactive',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:2',
  'a=recvonly',
  'a=candidate:1 1 udp 2122260223 1f0e-4b.local 56000 typ host',
  'a=candidate:2 1 udp 2122260223 192.0.2.2 56001 typ host',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=mid:3',
  'a=sendonly',
  'a=msid:stream-x 5f6a-mic',
);

/** What werift 0.24.4 answers: port 0 for inactive sections, every mid in BUNDLE. */
const weriftAnswer = sdp(
  'v=0',
  'o=- 3 0 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1 2 3',
  'm=audio 0 UDP/TLS/RTP/SAVPF 111',
  'a=mid:0',
  'a=inactive',
  'm=video 0 UDP/TLS/RTP/SAVPF 96',
  'a=mid:1',
  'a=inactive',
  'm=video 40000 UDP/TLS/RTP/SAVPF 96',
  'a=mid:2',
  'a=sendonly',
  'a=msid:PA_a|TR_v TR_v',
  'm=audio 40000 UDP/TLS/RTP/SAVPF 111',
  'a=mid:3',
  'a=recvonly',
);

describe('fixAnswer', () => {
  const fixed = splitSdp(fixAnswer(offer, weriftAnswer));

  it('keeps unused receive sections alive (port 9), but leaves a section the offer rejected at port 0', () => {
    expect(fixed.media.map((section) => section[0]!.split(' ')[1])).toEqual(['9', '0', '40000', '40000']);
  });

  it('bundles only mids the offer bundled and the answer accepts', () => {
    expect(fixed.session).toContain('a=group:BUNDLE 0 2 3');
  });

  it('answers the rejected section as rejected, and changes nothing else', () => {
    expect(fixed.media[1]).toEqual(['m=video 0 UDP/TLS/RTP/SAVPF 96', 'c=IN IP4 0.0.0.0', 'a=inactive', 'a=mid:1']);
    expect(fixed.media[2]).toContain('a=msid:PA_a|TR_v TR_v');
    const accepted = [0, 2, 3];
    expect(accepted.map((index) => fixed.media[index]!.slice(1))).toEqual(accepted.map((index) => splitSdp(weriftAnswer).media[index]!.slice(1)));
  });
});

describe('SDP readers', () => {
  it('reads mids, the ICE ufrag and msid track ids', () => {
    expect(midsOf(offer)).toEqual(['0', '1', '2', '3']);
    expect(iceUfragOf(offer)).toBe('AbCd');
    expect(iceUfragOf(sdp('v=0', 'a=ice-ufrag:Sess', 'm=audio 9 X 111', 'a=ice-ufrag:Media'))).toBe('Sess');
    expect([...msidTrackIdsByMid(offer)]).toEqual([['3', '5f6a-mic']]);
  });

  it('drops mDNS candidates, which werift would try to resolve by multicast', () => {
    expect(isMdnsCandidate('candidate:1 1 udp 2122260223 1f0e-4b.local 56000 typ host')).toBe(true);
    expect(isMdnsCandidate('candidate:2 1 udp 2122260223 192.0.2.2 56001 typ host')).toBe(false);
    const stripped = stripMdnsCandidates(offer);
    expect(stripped).not.toContain('.local');
    expect(stripped).toContain('192.0.2.2 56001');
  });
});

/** Offers captured from firefox-esr 153 running livekit-client 2.23 against the sandbox (see fixtures/README.md). */
const firefox = (name: string) => readFileSync(new URL(`./fixtures/${name}.sdp`, import.meta.url), 'utf8');
const portsOf = (sdp: string) => splitSdp(sdp).media.map((section) => section[0]!.split(' ')[1]);
const bundleOf = (sdp: string) => splitSdp(sdp).session.find((line) => line.startsWith('a=group:BUNDLE'));
const sectionOf = (sdp: string, mid: string) => splitSdp(sdp).media.find((lines) => lines.includes(`a=mid:${mid}`))!;

describe('Firefox: bundle-only sections (port 0 + a=bundle-only, RFC 8843 §6)', () => {
  const offer = firefox('firefox-153-first-offer');

  it('are not rejected sections', () => {
    // The fixture is what Firefox really sends: port 0 on bundled sections after the first of a kind.
    expect(portsOf(offer)).toEqual(['9', '0', '0', '9', '0', '0', '0', '0', '9']);
    expect(splitSdp(offer).media.map(isRejected)).toEqual(Array(9).fill(false));
    expect(isRejected(['m=audio 0 UDP/TLS/RTP/SAVPF 0', 'a=mid:2', 'a=inactive'])).toBe(true);
  });

  it('are answered as accepted (port 9) and bundled, even when werift answers them with port 0', () => {
    // werift answers every unbound (inactive) section with port 0; here mids 0 and 3 carry tracks.
    const weriftAnswer = sdp(
      'v=0',
      'o=- 3 0 IN IP4 127.0.0.1',
      's=-',
      't=0 0',
      'a=group:BUNDLE 0 1 2 3 4 5 6 7 8',
      ...midsOf(offer).map((mid, index) => {
        const kind = splitSdp(offer).media[index]![0]!.split(' ')[0]!.slice(2);
        const port = mid === '0' || mid === '3' || mid === '8' ? '9' : '0';
        return `m=${kind} ${port} UDP/TLS/RTP/SAVPF 109\r\na=mid:${mid}\r\na=${port === '9' ? 'sendonly' : 'inactive'}`;
      }),
    );
    const fixed = fixAnswer(offer, weriftAnswer);
    expect(portsOf(fixed)).toEqual(Array(9).fill('9'));
    expect(bundleOf(fixed)).toBe('a=group:BUNDLE 0 1 2 3 4 5 6 7 8');
  });
});

describe('Firefox: rejected sections', () => {
  // Firefox's next offer after an answer that rejected its bundle-only sections: it dropped
  // them (port 0, no bundle-only, format 0 and no rtpmap) and recycled mid 1 as mid 9.
  const offer = firefox('firefox-153-offer-with-rejected-sections');

  it('are found by port 0 without bundle-only', () => {
    expect(midsOf(offer)).toEqual(['0', '9', '2', '3', '4', '5', '6', '7', '8']);
    expect(splitSdp(offer).media.map(isRejected)).toEqual([false, false, true, false, true, true, true, true, false]);
  });

  it('get a codec werift knows, so that werift can answer at all', () => {
    const prepared = offerForWerift(offer, { audio: 'opus/48000/2', video: 'VP8/90000' });
    // Firefox's rejected audio sections have no rtpmap at all; its rejected video ones keep VP8.
    expect(sectionOf(prepared, '2')).toEqual([...sectionOf(offer, '2'), 'a=rtpmap:0 opus/48000/2']);
    expect(sectionOf(prepared, '6')).toContain('a=rtpmap:0 opus/48000/2');
    // Sections with the codec already (accepted or rejected ones) are left alone.
    for (const mid of ['0', '9', '4']) expect(sectionOf(prepared, mid)).toEqual(sectionOf(offer, mid));
    expect(splitSdp(prepared).media.map((section) => section[0])).toEqual(splitSdp(offer).media.map((section) => section[0]));
  });

  it('are answered as rejected: port 0, out of BUNDLE, nothing but the mid', () => {
    const weriftAnswer = sdp(
      'v=0',
      'o=- 3 0 IN IP4 127.0.0.1',
      's=-',
      't=0 0',
      'a=group:BUNDLE 0 9 2 3 4 5 6 7 8',
      ...midsOf(offer).map((mid) => `m=audio 0 UDP/TLS/RTP/SAVPF 0\r\na=ice-ufrag:x\r\na=rtpmap:0 opus/48000/2\r\na=inactive\r\na=mid:${mid}`),
    );
    const fixed = fixAnswer(offer, weriftAnswer);
    expect(portsOf(fixed)).toEqual(['9', '9', '0', '9', '0', '0', '0', '0', '9']);
    expect(bundleOf(fixed)).toBe('a=group:BUNDLE 0 9 3 8');
    expect(sectionOf(fixed, '2')).toEqual(['m=audio 0 UDP/TLS/RTP/SAVPF 0', 'c=IN IP4 0.0.0.0', 'a=inactive', 'a=mid:2']);
    expect(sectionOf(fixed, '4')).toEqual(['m=video 0 UDP/TLS/RTP/SAVPF 120', 'c=IN IP4 0.0.0.0', 'a=inactive', 'a=mid:4']);
  });

  it("reads the microphone's msid track id, which in Firefox is not the MediaStreamTrack id", () => {
    expect(msidTrackIdsByMid(offer).get('9')).toBe('{cc8b53b7-f4d0-4864-bbeb-167f1c56b14a}');
  });
});

describe('ice-lite', () => {
  const lite = sdp('v=0', 'o=- 1 0 IN IP4 0.0.0.0', 's=-', 't=0 0', 'a=group:BUNDLE 0 1', 'm=audio 9 X 111', 'a=ice-lite', 'a=mid:0', 'm=video 9 X 96', 'a=ice-lite', 'a=mid:1');

  it('is a session-level attribute (RFC 8839 §5.3), once, and in no media section', () => {
    const fixed = splitSdp(iceLiteAtSessionLevel(lite));
    expect(fixed.session.filter((line) => line === 'a=ice-lite')).toHaveLength(1);
    expect(fixed.media.flat()).not.toContain('a=ice-lite');
    expect(splitSdp(fixAnswer(lite, lite)).session).toContain('a=ice-lite');
  });

  it('is not added to a full agent\'s description', () => {
    const full = sdp('v=0', 's=-', 'm=audio 9 X 111', 'a=mid:0');
    expect(iceLiteAtSessionLevel(full)).toBe(full);
  });
});
