/**
 * What only the pages that opt in get, on the launcher's side (README, "Analytics" and
 * "Invitations"): the file that does it (../opt-in/opt-in-file.ts) is loaded only when an
 * element has an `analytics` or `invite-*` attribute, or the page registered an analytics
 * callback; an element without costs a look at its attributes, and nothing is fetched.
 * - Analytics: every event an element dispatches passes by `report`, and is dropped at once
 *   unless analytics are wanted. Then it waits in a queue, and the first such event loads the
 *   file, which empties the queue and takes every later event straight from its `push` (as a
 *   `dataLayer` does): none is lost (an `open()` run right after the script loaded is reported).
 * - Invitations: an element with `invite-*` attributes loads the file once the page has loaded;
 *   the file arms its rules when the browser is idle, and keeps them and the teaser (listeners,
 *   timers, a controller of its own for when the element leaves the page); it renders here.
 */
import type { AnalyticsCallback, AnalyticsQueue } from '../analytics/analytics-file.js';
import type { EquosAvatarElement } from '../equos-avatar.element.js';
import type { Words } from '../i18n/strings.js';
import { importChecked, type Locate } from '../internal/checked-import.js';

/** What the invitation reads from its element: the widget's words in its language (an `invitation` sentence, where it has one), and the avatar's name as shown. */
export type InvitationWords = () => [Words['strings'], string];

/** The opt-in file. */
export interface OptInModule {
  /**
   * Reports what `queue` holds, and from then on what is pushed on it (`callbacks`: the page's,
   * as registered so far and later); starts the invitation of `host` if it has `invite-*`
   * attributes. Again for the same: nothing more. What renders the invitation's teaser.
   */
  attach(host: EquosAvatarElement, words: InvitationWords, queue: AnalyticsQueue, callbacks: readonly AnalyticsCallback[]): () => unknown;
}

/** The opt-in file's name, set by the build. */
declare const __EQUOS_OPT_IN_FILE__: string | undefined;

/** The page's analytics callbacks (`EquosAvatar('analytics', fn)`): each gets every later event of every widget. */
export const analyticsCallbacks: AnalyticsCallback[] = [];
const queue: AnalyticsQueue = [];
let file: Promise<OptInModule> | undefined;

/** The opt-in file, loaded once. */
const load = (locate: Locate) =>
  (file ??= typeof __EQUOS_OPT_IN_FILE__ === 'string' ? (importChecked(__EQUOS_OPT_IN_FILE__, locate) as Promise<OptInModule>) : import('../opt-in/opt-in-file.js'));

/**
 * The opt-in parts of one `<equos-avatar>`, as one function (the launcher's bytes): with an
 * event the element fires, hands it to the page's analytics if it asked for them; without,
 * renders the invitation's teaser (nothing until the file is in).
 *
 * @param locate where the element's later files are
 * @param words the widget's words and the avatar's name, for the invitation
 */
export function optInController(host: EquosAvatarElement, locate: Locate, words: InvitationWords): (event?: Event) => unknown {
  let render = (): unknown => undefined;
  const start = () =>
    load(locate).then(
      (module) => (render = module.attach(host, words, queue, analyticsCallbacks)),
      // Without the file (offline, blocked), the page's analytics get nothing, and nothing piles up.
      () => (queue.length = 0),
    );
  // An invitation: the file once the page has loaded (it arms the rules when the browser is idle).
  host.addController({
    hostConnected: () => /(^|,)invite-/.test(String(host.getAttributeNames())) && (document.readyState === 'complete' ? start() : addEventListener('load', start)),
  });
  return (event) => (event ? (analyticsCallbacks.length || host.hasAttribute('analytics')) && (queue.push([host, event]), start()) : render());
}
