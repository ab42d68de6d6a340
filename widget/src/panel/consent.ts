/**
 * The site's AI disclosure before the first call: whether to ask for it, and the visitor's
 * answer. Set by the element's attributes, read here rather than by the launcher (only a
 * visitor who opens the panel can need it):
 * - `consent-version`: asks, for this version of the site's text; the version agreed to and
 *   when go to the token server with the session, which keeps them in its ledger;
 * - `privacy-url`: the site's privacy page, linked from the disclosure;
 * - `consent-remember`: the site lets the answer be remembered on this device
 *   (`localStorage`, per site), so the same version is not asked again. Without it the consent
 *   lasts as long as the page: a second call from the same page is not asked again.
 *
 * Only agreeing is kept; declining leaves nothing anywhere.
 */
import { CONSENT_VERSION_PATTERN, type CreateSessionRequest } from '../../../contract/token-server-api.js';

/** What the token server records: the version agreed to, and when (ISO 8601, UTC). */
export type ConsentRecord = NonNullable<CreateSessionRequest['consent']>;

/** Where a remembered consent is kept, per site. */
export const CONSENT_STORAGE_KEY = 'equos-avatar:consent';

/** Consents given on this page, by version. */
const givenHere = new Map<string, ConsentRecord>();

/** One element's consent settings, as its attributes say. */
export interface ConsentSettings {
  /** The version to ask for; undefined: no consent step. */
  version: string | undefined;
  /** The site's privacy page (http or https only). */
  privacyUrl: string | undefined;
  remember: boolean;
  /** What is wrong with the attributes, for the site owner (the widget does not start a call then). */
  problem: string | undefined;
}

/** Reads the consent attributes of `host`. */
export function consentSettings(host: Element): ConsentSettings {
  const version = host.getAttribute('consent-version')?.trim() || undefined;
  const privacy = host.getAttribute('privacy-url');
  let privacyUrl: string | undefined;
  let problem: string | undefined;
  if (version && !CONSENT_VERSION_PATTERN.test(version)) {
    problem = `consent-version "${version.slice(0, 80)}" is not a version: use 1 to 64 letters, digits, ".", "_", ":" or "-", e.g. consent-version="2026-11".`;
  }
  if (privacy) {
    try {
      const url = new URL(privacy, document.baseURI);
      if (url.protocol === 'https:' || url.protocol === 'http:') privacyUrl = url.href;
    } catch {
      // Reported below.
    }
    if (!privacyUrl) problem ??= `privacy-url "${privacy.slice(0, 80)}" is not an http(s) address: link your privacy page, e.g. privacy-url="/privacy".`;
  }
  return { version: problem ? undefined : version, privacyUrl, remember: host.hasAttribute('consent-remember'), problem };
}

/** The consent already given to `version` (on this page, or remembered on this site), if any. */
export function consentGiven(settings: ConsentSettings): ConsentRecord | undefined {
  const { version } = settings;
  if (!version) return undefined;
  const here = givenHere.get(version);
  if (here || !settings.remember) return here;
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(CONSENT_STORAGE_KEY) ?? 'null');
    const record = stored as Partial<ConsentRecord> | null;
    if (record?.version === version && typeof record.accepted_at === 'string' && !Number.isNaN(Date.parse(record.accepted_at))) {
      return { version, accepted_at: record.accepted_at };
    }
  } catch {
    // Storage refused (private mode, a sandboxed frame) or garbled: ask again.
  }
  return undefined;
}

/** Records that the visitor agreed to the version of `settings` now. */
export function giveConsent(settings: ConsentSettings): ConsentRecord | undefined {
  const { version } = settings;
  if (!version) return undefined;
  const record: ConsentRecord = { version, accepted_at: new Date().toISOString() };
  givenHere.set(version, record);
  if (settings.remember) {
    try {
      localStorage.setItem(CONSENT_STORAGE_KEY, JSON.stringify(record));
    } catch {
      // Not remembered beyond this page: it is asked again next time.
    }
  }
  return record;
}
