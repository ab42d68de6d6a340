/**
 * Browsers play sound only after a user gesture, and iOS Safari only in media elements that
 * were started during one. So, inside the visitor's click, the widget starts an (empty)
 * audio element and an AudioContext; the avatar's voice later plays in that same element,
 * and the microphone meter runs on that context.
 */

/** What was unlocked during the click. */
export interface UnlockedAudio {
  element: HTMLAudioElement;
  context: AudioContext | undefined;
}

/**
 * Unlocks audio. Call synchronously inside a click/touch handler.
 *
 * @param container where the (invisible) audio element lives: the widget's shadow root
 */
export function unlockAudio(container: ParentNode & Node): UnlockedAudio {
  const element = document.createElement('audio');
  element.autoplay = true;
  element.setAttribute('playsinline', '');
  container.appendChild(element);
  // No source yet: play() still marks the element as started by the user (it rejects,
  // harmlessly, for lack of a source on some engines).
  element.play().catch(() => {});
  let context: AudioContext | undefined;
  try {
    const Context = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    context = Context ? new Context() : undefined;
    void context?.resume().catch(() => {});
  } catch {
    context = undefined;
  }
  return { element, context };
}

/** Releases what `unlockAudio` created. */
export function releaseAudio(unlocked: UnlockedAudio): void {
  unlocked.element.srcObject = null;
  unlocked.element.remove();
  void unlocked.context?.close().catch(() => {});
}
