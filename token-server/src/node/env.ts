/**
 * The settings as Node gives them: the variables from `process.env`, a presets file from the
 * file system, and this instance's name from the host name and process id.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { readSettings, type ReadSettings } from '../config/settings.js';

/**
 * Reads the settings from the environment.
 *
 * @param env the variables [process.env]
 * @throws ConfigError on the first invalid variable
 * @example
 * const { settings, warnings } = readNodeSettings();
 */
export function readNodeSettings(env: Readonly<Record<string, string | undefined>> = process.env): ReadSettings {
  return readSettings(env, {
    readFile: (path) => readFileSync(path, 'utf8'),
    instanceId: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
  });
}
