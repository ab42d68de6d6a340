/**
 * English: what a proactive invitation says, in the invitation's file (../invitation/invitation-file.ts)
 * and in English's full set (./en.ts), not in the widget's script: most pages have no invitation.
 */
import type { Strings } from './strings.js';

export const enInvitation: Pick<Strings, 'invitation' | 'dismissInvitation'> = {
  invitation: (name) => `Questions? Ask ${name}`,
  dismissInvitation: 'Dismiss',
};
