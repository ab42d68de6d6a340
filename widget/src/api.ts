/**
 * `window.EquosAvatar`: the one global the widget adds besides its element, for pages that
 * want to open it from their own buttons ("Talk to us") without finding the element.
 *
 * It is called in two ways, the same before and after the script has loaded:
 * - as a function with a command's name, as Intercom's and Crisp's users write:
 *   `EquosAvatar('open')`, `EquosAvatar('setContext', 'Viewing: Pro plan')`. A page may call it
 *   before the script has loaded, through a one-line stub that queues the calls; the script
 *   replays them, in order, once the page's widgets are there;
 * - through its methods: `EquosAvatar.open()`.
 *
 * @example
 * <script>window.EquosAvatar=window.EquosAvatar||function(){(EquosAvatar.q=EquosAvatar.q||[]).push(arguments)}</script>
 * <button onclick="EquosAvatar('start')">Talk to our assistant</button>
 */
import type { AnalyticsCallback } from './analytics/analytics-file.js';
import { analyticsCallbacks } from './controllers/opt-in-controller.js';
import type { EquosAvatarElement } from './equos-avatar.element.js';

/** The page-facing API. Every method acts on the first `<equos-avatar>` (`setContext` on all) and never throws. */
export interface EquosAvatarApi extends EquosAvatarCommands {
  /** Runs a command by name: `EquosAvatar('open')`, `EquosAvatar('setContext', text)`. */
  <Name extends keyof EquosAvatarCommands>(command: Name, ...args: Parameters<EquosAvatarCommands[Name]>): void;
  readonly version: string;
  /** The first `<equos-avatar>` on the page, if any. */
  element(): EquosAvatarElement | null;
}

/** The commands, by name: each is also a method. */
export interface EquosAvatarCommands {
  open(): void;
  close(): void;
  start(): void;
  stop(): void;
  /** Tells the avatar what the page knows (page, product, visitor state); sets every widget's `context`. */
  setContext(text: string): void;
  /** Opts in to analytics with a callback of the page's own: it gets every widget's later events (README, "Analytics"). */
  analytics(callback: AnalyticsCallback): void;
}

/** The page's stub, before the script loaded: a function whose calls wait in `q`. */
interface QueueStub {
  q?: ArrayLike<ArrayLike<unknown>>;
}

declare const __EQUOS_VERSION__: string | undefined;

/**
 * Installs `window.EquosAvatar`, unless another copy of the script already did, taking over a
 * page's queue stub: its calls run once the page's widgets are there (after the document has
 * been parsed, when the script runs before), so `EquosAvatar('open')` written in the `<head>`
 * opens the widget the embed tag creates.
 */
export function installApi(): void {
  const target = window as unknown as { EquosAvatar?: EquosAvatarApi | QueueStub };
  const existing = target.EquosAvatar;
  if (existing && 'version' in existing) return;
  const element = () => document.querySelector('equos-avatar');
  const commands: EquosAvatarCommands = {
    open: () => element()?.open(),
    close: () => element()?.close(),
    start: () => element()?.start(),
    stop: () => element()?.stop(),
    setContext: (text) => {
      for (const widget of document.querySelectorAll('equos-avatar')) widget.context = String(text);
    },
    analytics: (callback) => void analyticsCallbacks.push(callback),
  };
  const run = (name: unknown, args: ArrayLike<unknown>) => {
    try {
      // Own keys only: `EquosAvatar('constructor')` is not a command.
      if (!Object.keys(commands).includes(name as string)) throw `there is no command "${String(name)}"; use one of ${Object.keys(commands).join(', ')}.`;
      (commands[name as keyof EquosAvatarCommands] as (...args: unknown[]) => void)(...Array.from(args));
    } catch (error) {
      console.warn('EquosAvatar:', error);
    }
  };
  const api = (name: unknown, ...args: unknown[]) => run(name, args);
  for (const name in commands) (api as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => run(name, args);
  target.EquosAvatar = Object.freeze(Object.assign(api, { version: typeof __EQUOS_VERSION__ === 'string' ? __EQUOS_VERSION__ : 'dev', element })) as unknown as EquosAvatarApi;

  const queued = Array.from((existing as QueueStub | undefined)?.q ?? []);
  if (!queued.length) return;
  const replay = () => {
    for (const call of queued) run(call[0], Array.prototype.slice.call(call, 1));
  };
  // Registered after the embed's own listener (./embed.ts runs first), so its widget is there.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', replay, { once: true });
  else replay();
}
