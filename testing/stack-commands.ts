/** The browser side of the `stack` test command: the product the browser suites test. */
import { executeServerCommand } from '@web/test-runner-commands';
import type { StackCommand } from './stack-command-types.js';

/** The token server in front of the sandbox. */
export const tokenServerUrl = async () => (await executeServerCommand<{ url: string }, StackCommand>('stack', { action: 'token-server' })).url;

/** A token server that refuses the test page's origin, as a site's real one refuses a site it does not know. */
export const refusingTokenServerUrl = async () =>
  (await executeServerCommand<{ url: string }, StackCommand>('stack', { action: 'refusing-token-server' })).url;

/** A token server whose panel's and French files were altered after the build: what the widget's integrity checks refuse. */
export const tamperingTokenServerUrl = async () =>
  (await executeServerCommand<{ url: string }, StackCommand>('stack', { action: 'tampering-token-server' })).url;
