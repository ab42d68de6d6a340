/**
 * The Bun entry (token-server/src/bun/server.ts) on Bun: from its source, and built
 * (scripts/build-server.mjs: dist/server/bun.mjs).
 */
import { describeRuntime } from './runtime-suite.js';

describeRuntime('bun', 'source');
describeRuntime('bun', 'build');
