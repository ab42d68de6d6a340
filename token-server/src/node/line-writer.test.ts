import { describe, expect, it } from 'vitest';
import { createLineWriter } from './line-writer.js';

function streams() {
  const writes: Array<['out' | 'err', string]> = [];
  return { writes, out: { write: (text: string) => writes.push(['out', text]) }, err: { write: (text: string) => writes.push(['err', text]) } };
}
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('createLineWriter', () => {
  it('writes the lines of one turn of the event loop in one write, at the end of that turn', async () => {
    const { writes, out, err } = streams();
    const lines = createLineWriter({ out, err });
    lines.write('{"n":1}', 'info');
    lines.write('{"n":2}', 'debug');
    lines.write('{"n":3}', 'info');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual([['out', '{"n":1}\n{"n":2}\n{"n":3}\n']]);
    lines.write('{"n":4}', 'info');
    await nextTurn();
    expect(writes.at(-1)).toEqual(['out', '{"n":4}\n']);
    expect(writes).toHaveLength(2);
  });

  it('writes a warning or an error at once, after the lines queued before it', async () => {
    const { writes, out, err } = streams();
    const lines = createLineWriter({ out, err });
    lines.write('{"n":1}', 'info');
    lines.write('{"warn":1}', 'warn');
    lines.write('{"error":1}', 'error');
    expect(writes).toEqual([
      ['out', '{"n":1}\n'],
      ['err', '{"warn":1}\n'],
      ['err', '{"error":1}\n'],
    ]);
    await nextTurn();
    expect(writes).toHaveLength(3);
  });

  it('writes what is queued on flush (before a direct write, or the exit)', () => {
    const { writes, out, err } = streams();
    const lines = createLineWriter({ out, err });
    lines.write('{"n":1}', 'info');
    lines.flush();
    lines.flush();
    expect(writes).toEqual([['out', '{"n":1}\n']]);
  });
});
