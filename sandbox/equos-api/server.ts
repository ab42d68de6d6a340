/** Runs the Equos API double on a loopback port. */
import { listen } from '../../token-server/src/listen.js';
import { createEquosApiDouble, type EquosApiDouble, type EquosApiDoubleOptions } from './app.js';

/** A running double. */
export interface RunningEquosApiDouble extends Omit<EquosApiDouble, 'app'> {
  /** Base URL to use as `EQUOS_ENDPOINT`, e.g. `http://127.0.0.1:41234`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the double on 127.0.0.1 [port 0: a free one].
 *
 * @example
 * const equos = await startEquosApiDouble({ apiKey });
 * // … EQUOS_ENDPOINT=equos.url …
 * await equos.close();
 */
export async function startEquosApiDouble(
  options: EquosApiDoubleOptions & { port?: number; extend?: (app: EquosApiDouble['app']) => void },
): Promise<RunningEquosApiDouble> {
  const { app, state, faults } = createEquosApiDouble(options);
  options.extend?.(app);
  const listening = await listen(app, { host: '127.0.0.1', port: options.port ?? 0 });
  return {
    url: listening.url,
    state,
    faults,
    async close() {
      state.dispose();
      await listening.close(1000);
    },
  };
}
