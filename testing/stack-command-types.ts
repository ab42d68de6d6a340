/**
 * The messages of the `stack` test command, shared by the browser side and the Node side
 * (so this file imports nothing platform-specific).
 */

/** A request from a browser test about the product in front of the sandbox. */
export type StackCommand =
  /** The token server in front of the sandbox (it serves the widget too). */
  | { action: 'token-server' }
  /** A token server that refuses every test page's origin (ALLOWED_ORIGINS is another site). */
  | { action: 'refusing-token-server' }
  /** A token server like the first whose panel's and French files were altered after the build (see ./stack.ts). */
  | { action: 'tampering-token-server' };
