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
const kindOf = (section: string[]) => section[0]!.slice(2).split(' ')[0];
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
 * Whether an offer rejects a section: port 0 *without* `a=bundle-only`. Port 0 with
 * `a=bundle-only` is the opposite, a section that may only be used inside the BUNDLE group
 * (RFC 8843 §6; Firefox offers every section but the first audio, the first video and the
 * data channels' this way), which an answerer accepts like any other.
 */
export function isRejected(section: string[]): boolean {
  return portOf(section) === '0' && !section.includes('a=bundle-only');
}

/**
 * What werift needs to answer an offer at all: the mDNS candidates removed, and a codec it
 * knows in every section the offer rejects. werift negotiates codecs even for a rejected
 * section and throws "negotiate codecs failed" when none matches, and Firefox writes a
 * rejected section as `m=audio 0 UDP/TLS/RTP/SAVPF 0` with no `a=rtpmap` at all. The codec only
 * gets werift through; `fixAnswer` writes the rejected section of the answer afresh.
 *
 * @param codecs the codec werift has for each kind, as in an rtpmap (`opus/48000/2`)
 */
export function offerForWerift(offerSdp: string, codecs: { audio: string; video: string }): string {
  const offer = splitSdp(stripMdnsCandidates(offerSdp));
  for (const section of offer.media) {
    const kind = kindOf(section);
    if ((kind !== 'audio' && kind !== 'video') || !isRejected(section)) continue;
    const codec = codecs[kind];
    const name = codec.split('/')[0]!.toLowerCase();
    if (section.some((line) => line.startsWith('a=rtpmap:') && line.split(' ')[1]?.toLowerCase().startsWith(`${name}/`))) continue;
    section.push(`a=rtpmap:${section[0]!.split(' ')[3]} ${codec}`);
  }
  return joinSdp(offer);
}

/**
 * Makes werift's answer what a LiveKit server (pion) answers:
 * - werift answers an `inactive` section with port 0, which browsers read as *rejected*
 *   (Chrome stops the transceiver, killing livekit-client's receive placeholders): use port 9
 *   unless the offer itself rejected the section (`isRejected`: a bundle-only section is
 *   accepted, as pion does);
 * - a section the offer rejected is answered as rejected: port 0 and nothing but its mid
 *   (werift fills it with ICE, DTLS and codec lines);
 * - werift's BUNDLE group lists every mid, including sections the offer rejected and left out
 *   of its own group, which browsers refuse: keep only mids the offer bundled and the answer
 *   accepts;
 * - werift writes `a=ice-lite` in each media section; it is a session-level attribute
 *   (RFC 8839 §5.3), the only place Firefox looks for it (see `iceLiteAtSessionLevel`).
 */
export function fixAnswer(offerSdp: string, answerSdp: string): string {
  const offer = splitSdp(offerSdp);
  const answer = splitSdp(answerSdp);
  answer.media = answer.media.map((section, index) => {
    const offered = offer.media[index];
    if (offered && isRejected(offered)) return rejectedAnswer(offered);
    if (offered && portOf(section) === '0') {
      const parts = section[0]!.split(' ');
      parts[1] = '9';
      return [parts.join(' '), ...section.slice(1)];
    }
    return section;
  });
  const offeredBundle = new Set(offer.session.find((line) => line.startsWith('a=group:BUNDLE'))?.split(' ').slice(1) ?? []);
  const accepted = new Set(answer.media.filter((section) => portOf(section) !== '0').map((section) => attribute(section, 'mid')));
  answer.session = answer.session.flatMap((line) => {
    if (!line.startsWith('a=group:BUNDLE')) return [line];
    const mids = line.split(' ').slice(1).filter((mid) => offeredBundle.has(mid) && accepted.has(mid));
    return mids.length ? [`a=group:BUNDLE ${mids.join(' ')}`] : [];
  });
  return iceLiteAtSessionLevel(joinSdp(answer));
}

/** The answer to a rejected offer section, in the form Firefox itself writes one. */
function rejectedAnswer(offered: string[]): string[] {
  const [media, , proto, ...formats] = offered[0]!.slice(2).split(' ');
  const mid = attribute(offered, 'mid');
  return [`m=${media} 0 ${proto} ${formats.join(' ')}`, 'c=IN IP4 0.0.0.0', 'a=inactive', ...(mid === undefined ? [] : [`a=mid:${mid}`])];
}

/**
 * Moves werift's per-section `a=ice-lite` lines to the session level, where RFC 8839 §5.3
 * puts the attribute and where pion writes it. Chrome copes with either place; Firefox reads
 * only the session level and takes werift for a full agent: answering werift's offer (the
 * subscriber connection of the two-connection mode) it then takes the controlled role that
 * the lite werift holds too (RFC 8445 §6.1.1), and ICE never completes.
 */
export function iceLiteAtSessionLevel(sdp: string): string {
  const sections = splitSdp(sdp);
  const lite = sections.media.some((section) => section.includes('a=ice-lite')) || sections.session.includes('a=ice-lite');
  if (!lite) return sdp;
  sections.media = sections.media.map((section) => section.filter((line) => line !== 'a=ice-lite'));
  // After t= (and any other session attribute): the session part's order is v o s t a…
  sections.session = [...sections.session.filter((line) => line !== 'a=ice-lite'), 'a=ice-lite'];
  return joinSdp(sections);
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
