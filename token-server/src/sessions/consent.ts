/**
 * The visitor's consent to the site's AI disclosure (it is an AI, the microphone is used, the
 * site's privacy page): the widget asks before the first call and sends which version of the
 * site's text the visitor accepted, and when; the token server checks it and records it with
 * the session in the ledger, so the site owner can show who agreed to what. With
 * CONSENT_VERSION set, no session starts, and nothing is paid for, without consent to that
 * version.
 *
 * The request parser (../http/request/create-session-request.ts) checks the shape and format;
 * the times and the required version are checked here, where the clock and the settings are.
 */
import type { LedgerConsent } from '../ledger/store.js';
import { ProblemError } from '../problems.js';

/**
 * A consent this far ahead of the server's clock is still believed: the time is the visitor's
 * clock's, and visitors' clocks run fast, by minutes or by a wrong time zone's hours. It is
 * recorded as the server's time then: nobody agrees after asking.
 */
export const CONSENT_CLOCK_SKEW_MS = 24 * 3_600_000;
/** No consent is older (the widget did not exist): an earlier time is a broken clock or made up. */
export const EARLIEST_CONSENT_MS = Date.UTC(2020, 0, 1);

/**
 * The consent to record with a new session: `given` when its time is plausible and, if the
 * site requires a version, it is that one; null when none was given nor required.
 *
 * @param given as the request parser read it (its version's characters and its time's format checked)
 * @param required the version the site requires (CONSENT_VERSION), or null: any consent, or none
 * @param now the server's clock, in ms
 * @throws ProblemError `invalid-field` (400) for a time before 2020 or over a day in the future,
 *   `consent-required` (403) when the required version was not accepted
 * @example
 * consentFor({ version: '2026-11', acceptedAt: Date.parse('2026-11-30T09:00:00Z') }, '2026-11', Date.now());
 */
export function consentFor(given: LedgerConsent | undefined, required: string | null, now: number): LedgerConsent | null {
  if (given !== undefined) {
    if (given.acceptedAt < EARLIEST_CONSENT_MS) throw new ProblemError('invalid-field', { detail: 'consent.accepted_at must not be before 2020.' });
    if (given.acceptedAt > now + CONSENT_CLOCK_SKEW_MS) {
      throw new ProblemError('invalid-field', { detail: `consent.accepted_at must not be in the future (the server's clock is ${new Date(now).toISOString()}).` });
    }
  }
  if (required !== null && given?.version !== required) {
    throw new ProblemError('consent-required', {
      detail:
        given === undefined
          ? `This site starts a call only once the visitor has accepted its AI disclosure: send consent with version "${required}".`
          : `The visitor accepted another version of this site's AI disclosure; it asks for version "${required}" now.`,
    });
  }
  return given ? { version: given.version, acceptedAt: Math.min(given.acceptedAt, now) } : null;
}
