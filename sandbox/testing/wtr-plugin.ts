/**
 * A Web Test Runner plugin that runs the local sandbox for the browser suites and lets
 * tests drive it through the server command `sandbox` (see ./sandbox-commands.ts for the
 * browser side).
 */
import type { TestRunnerPlugin } from '@web/test-runner-core';
import { startLocalSandbox, type LocalSandbox } from '../index.js';
import { runSandboxCommand, type SandboxCommand } from './sandbox-command-handler.js';

/** Starts the sandbox with the test server and stops it with it. */
export function sandboxPlugin(): TestRunnerPlugin {
  let sandbox: LocalSandbox | undefined;
  return {
    name: 'equos-local-sandbox',
    async serverStart() {
      sandbox = await startLocalSandbox();
    },
    async serverStop() {
      await sandbox?.close();
    },
    async executeCommand({ command, payload }) {
      if (command !== 'sandbox') return undefined;
      if (!sandbox) throw new Error('the sandbox is not running');
      return runSandboxCommand(sandbox, payload as SandboxCommand);
    },
  };
}
