/**
 * The Deno entry (token-server/src/deno/server.ts) on Deno: from its source, and built
 * (scripts/build-server.mjs: dist/server/deno.mjs).
 */
import { describeRuntime } from './runtime-suite.js';

describeRuntime('deno', 'source');
describeRuntime('deno', 'build');
