/**
 * The small amount of SDP reading and rewriting the werift transport needs, as pure functions
 * on strings. Each fix names the werift 0.24.4 behaviour it works around (see
 * ../WERIFT-NOTES.md §5).
 */

const EOL = '\r\n';

/** An SDP cut into its session lines and one line list per m-section. */
export interface SdpSections {
  session: string[];
  media: string[][];
}

/** Cuts `sdp` into sections. */
export function splitSdp(sdp: string): SdpSections {
  const result: SdpSections = { session: [], media: [] };
  for (const line of sdp.split(/\r?\n/)) {
    if (!line) continue;
    if (line.startsWith('m=')) result.media.push([line]);
    else if (result.media.length === 0) result.session.push(line);
    else result.media.at(-1)!.push(line);
  }
  return result;
}

/** Joins sections back into an SDP. */
export function joinSdp(sections: SdpSections): string {
  return [...sections.session, ...sections.media.flat()].join(EOL) + EOL;
}

const portOf = (section: string[]) => section[0]!.split(' ')[1];
const attribute = (section: string[], name: string) => section.find((line) => line.startsWith(`a=${name}:`))?.slice(name.length + 3);

/** The mid of each m-section, in order. */
export function midsOf(sdp: string): string[] {
  return splitSdp(sdp).media.map((section) => attribute(section, 'mid') ?? '');
}

/** The ICE username fragment (of the first section that has one, else the session's). */
export function iceUfragOf(sdp: string): string | undefined {
  const { session, media } = splitSdp(sdp);
  return attribute(session, 'ice-ufrag') ?? media.map((section) => attribute(section, 'ice-ufrag')).find(Boolean);
}

/** mid → the track id of its `a=msid:<stream> <track>` line, for sections that have one. */
export function msidTrackIdsByMid(sdp: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const section of splitSdp(sdp).media) {
    const mid = attribute(section, 'mid');
    const msid = attribute(section, 'msid')?.split(' ');
    if (mid && msid?.[1]) result.set(mid, msid[1]);
  }
  return result;
}

/**
 * Makes werift's answer acceptable to Chrome:
 * - werift answers an `inactive` section with port 0, which Chrome reads as *rejected* and
 *   stops the transceiver (killing livekit-client's receive placeholders): use port 9 unless
 *   the offer itself rejected the section;
 * - werift's BUNDLE group lists every mid, including sections the offer rejected and left out
 *   of its own group, which Chrome refuses: keep only mids the offer bundled and the answer
 *   accepts.
 */
export function fixAnswer(offerSdp: string, answerSdp: string): string {
  const offer = splitSdp(offerSdp);
  const answer = splitSdp(answerSdp);
  answer.media.forEach((section, index) => {
    const offered = offer.media[index];
    if (offered && portOf(section) === '0' && portOf(offered) !== '0') {
      const parts = section[0]!.split(' ');
      parts[1] = '9';
      section[0] = parts.join(' ');
    }
  });
  const offeredBundle = new Set(offer.session.find((line) => line.startsWith('a=group:BUNDLE'))?.split(' ').slice(1) ?? []);
  const accepted = new Set(answer.media.filter((section) => portOf(section) !== '0').map((section) => attribute(section, 'mid')));
  answer.session = answer.session.flatMap((line) => {
    if (!line.startsWith('a=group:BUNDLE')) return [line];
    const mids = line.split(' ').slice(1).filter((mid) => offeredBundle.has(mid) && accepted.has(mid));
    return mids.length ? [`a=group:BUNDLE ${mids.join(' ')}`] : [];
  });
  return joinSdp(answer);
}

/** Whether an ICE candidate names an mDNS host (`….local`), which werift would try to resolve by multicast. */
export function isMdnsCandidate(candidate: string): boolean {
  return /\s\S+\.local\s/i.test(candidate);
}

/** Removes `a=candidate` lines with mDNS hosts from an SDP. */
export function stripMdnsCandidates(sdp: string): string {
  return sdp
    .split(/\r?\n/)
    .filter((line) => !(line.startsWith('a=candidate:') && isMdnsCandidate(line)))
    .join(EOL);
}
