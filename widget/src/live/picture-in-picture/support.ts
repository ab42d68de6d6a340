/**
 * Which floating window this browser can give the avatar's video: a Document
 * Picture-in-Picture window (a small page of our own, with the call's controls), else the
 * video element's own Picture-in-Picture (the video alone, with the buttons the browser draws
 * from the Media Session's actions), else none.
 *
 * Document Picture-in-Picture: https://wicg.github.io/document-picture-in-picture/ (Chrome
 * 116+); it is not in TypeScript's DOM types yet, so the part we use is declared here.
 */

/** The kind of floating window, as `equos-picture-in-picture` reports it. */
export type FloatingKind = 'document' | 'video';

/** `window.documentPictureInPicture`, as far as the widget uses it. */
export interface DocumentPictureInPicture {
  /** Opens the window (closing any other of this page's); needs the visitor's activation. */
  requestWindow(options?: { width?: number; height?: number }): Promise<Window>;
}

/** The Document Picture-in-Picture API of this window, if the browser has it. */
export function documentPictureInPicture(): DocumentPictureInPicture | undefined {
  return (window as Window & { documentPictureInPicture?: DocumentPictureInPicture }).documentPictureInPicture ?? undefined;
}

/** The floating window `video` can go into here, best first; null when neither API is there (or the page turned it off). */
export function floatingKind(video: HTMLVideoElement): FloatingKind | null {
  if (documentPictureInPicture()) return 'document';
  // A page may turn Picture-in-Picture off with Permissions-Policy (`picture-in-picture=()`):
  // then `pictureInPictureEnabled` is false and a request would only be refused.
  if (document.pictureInPictureEnabled && typeof video.requestPictureInPicture === 'function' && !video.disablePictureInPicture) return 'video';
  return null;
}
