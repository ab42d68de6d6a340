/**
 * The Node entry's log output: JSON lines on stdout (warnings and errors on stderr), written
 * in batches, one write per stream per turn of the event loop instead of one per line.
 *
 * On Linux, stdout and stderr are synchronous when they are pipes or files (how a service
 * manager or a container runtime collects them): every line was a system call on the request's
 * path, four per create and stop (issue 13). A batch is at most one turn of the event loop
 * old; it is written before the process exits (`exit` runs on `process.exit` and on an
 * uncaught exception), and a warning or an error is written at once, after what came before it.
 * Only a SIGKILL can lose the lines of the turn it interrupts.
 */
import type { LogLevel } from '../logger.js';

/** Where the lines go (process.stdout and process.stderr, or test doubles). */
export interface LineStreams {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown };
}

/** A batching writer. */
export interface LineWriter {
  /** Queues one line (`createLogger`'s `write`). */
  write(line: string, level: LogLevel): void;
  /** Writes what is queued now (before writing to the streams directly, or exiting). */
  flush(): void;
}

/**
 * Creates the writer.
 *
 * @param streams [process.stdout and process.stderr, flushed on the process' `exit`]
 * @example
 * const lines = createLineWriter();
 * const logger = createLogger({ level, secrets, write: lines.write });
 */
export function createLineWriter(streams?: LineStreams): LineWriter {
  const { out, err } = streams ?? { out: process.stdout, err: process.stderr };
  let queued = '';
  let scheduled = false;

  const flush = () => {
    if (queued === '') return;
    const text = queued;
    queued = '';
    out.write(text);
  };
  const flushLater = () => {
    scheduled = false;
    flush();
  };
  if (!streams) process.on('exit', flush);

  return {
    write(line, level) {
      if (level === 'warn' || level === 'error') {
        flush();
        err.write(`${line}\n`);
        return;
      }
      queued += `${line}\n`;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flushLater);
      }
    },
    flush,
  };
}
