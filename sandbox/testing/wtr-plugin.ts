/**
 * A Web Test Runner plugin that runs the local sandbox and a token server for the browser
 * suites and lets
 * tests drive it through the server command `sandbox` (see ./sandbox-commands.ts for the
 * browser side).
 */
import type { TestRunnerPlugin } from '@web/test-runner-core';
import { runSandboxCommand, type SandboxCommand } from './sandbox-command-handler.js';
import { startTestStack, type TestStack } from './test-stack.js';

/** Starts the sandbox and a token server with the test server, and stops them with it. */
export function sandboxPlugin(): TestRunnerPlugin {
  let stack: TestStack | undefined;
  return {
    name: 'equos-local-sandbox',
    async serverStart() {
      stack = await startTestStack();
    },
    async serverStop() {
      await stack?.close();
    },
    async executeCommand({ command, payload }) {
      if (command !== 'sandbox') return undefined;
      if (!stack) throw new Error('the sandbox is not running');
      return runSandboxCommand(stack, payload as SandboxCommand);
    },
  };
}
