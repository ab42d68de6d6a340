/**
 * The opt-in file (dist/equos-avatar-opt-in.<hash>.js): what only the pages that ask for it load
 * (../controllers/opt-in-controller.ts), the widget's analytics and its proactive invitations.
 * One file for both, so that the script every page loads carries one name and one call for
 * them: the launcher's budget is counted in bytes. It renders through the launcher's Lit.
 */
import { drain, type AnalyticsCallback, type AnalyticsQueue } from '../analytics/analytics-file.js';
import type { InvitationWords } from '../controllers/opt-in-controller.js';
import type { EquosAvatarElement } from '../equos-avatar.element.js';
import { createInvitation } from '../invitation/invitation-file.js';

/** Each element's invitation (what renders its teaser), once started. */
const invitations = new WeakMap<EquosAvatarElement, () => unknown>();

/** @see OptInModule.attach */
export function attach(host: EquosAvatarElement, words: InvitationWords, queue: AnalyticsQueue, callbacks: readonly AnalyticsCallback[]): () => unknown {
  drain(queue, callbacks);
  let invitation = invitations.get(host);
  if (!invitation) invitations.set(host, (invitation = /(^|,)invite-/.test(String(host.getAttributeNames())) ? createInvitation(host, words) : () => undefined));
  return invitation;
}
