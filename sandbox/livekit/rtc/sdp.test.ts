import { describe, expect, it } from 'vitest';
import { fixAnswer, iceUfragOf, isMdnsCandidate, midsOf, msidTrackIdsByMid, splitSdp, stripMdnsCandidates } from './sdp.js';

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

  it('changes nothing else', () => {
    expect(fixed.media[2]).toContain('a=msid:PA_a|TR_v TR_v');
    expect(fixed.media.map((section) => section.length)).toEqual(splitSdp(weriftAnswer).media.map((section) => section.length));
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
