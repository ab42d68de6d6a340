/**
 * A Web Test Runner plugin that runs the local sandbox and a token server for the browser
 * suites, and lets tests drive them through two server commands: `sandbox` (the sandbox's
 * own, see ../sandbox/testing/sandbox-commands.ts) and `stack` (see ./stack-commands.ts).
 */
import type { TestRunnerPlugin } from '@web/test-runner-core';
import { runSandboxCommand, type SandboxCommand } from '../sandbox/testing/sandbox-command-handler.js';
import { startTestStack, type TestStack } from './stack.js';
import type { StackCommand } from './stack-command-types.js';

/** Starts the sandbox and a token server with the test server, and stops them with it. */
export function sandboxPlugin(): TestRunnerPlugin {
  let stack: TestStack | undefined;
  return {
    name: 'equos-local-sandbox',
    async serverStart() {
      stack = await startTestStack({ qualityIntervalMs: 1000 });
    },
    async serverStop() {
      await stack?.close();
    },
    async executeCommand({ command, payload }) {
      if (command !== 'sandbox' && command !== 'stack') return undefined;
      if (!stack) throw new Error('the sandbox is not running');
      if (command === 'sandbox') return runSandboxCommand(stack.sandbox, payload as SandboxCommand);
      switch ((payload as StackCommand).action) {
        case 'token-server':
          return { url: stack.tokenServerUrl };
        case 'refusing-token-server':
          return { url: stack.refusingTokenServerUrl };
        case 'tampering-token-server':
          return { url: stack.tamperingTokenServerUrl };
      }
    },
  };
}
