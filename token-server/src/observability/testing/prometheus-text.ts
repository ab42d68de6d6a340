/**
 * A reader of the Prometheus text format (version 0.0.4) for tests: what a scraper would see,
 * sample by sample, so assertions are about values and labels rather than substrings.
 *
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */

/** One sample: `name{labels} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A scrape, parsed. */
export interface Scrape {
  samples: Sample[];
  /** Each family's `# TYPE`. */
  types: Map<string, string>;
  /**
   * The value of the sample `name` whose labels are exactly `labels` [none]; undefined when
   * there is no such sample.
   */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** The samples named `name`. */
  series(name: string): Sample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy;

function unescape(text: string): string {
  return text.replace(/\\(.)/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
}

function parseValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/**
 * Parses a scrape; throws on a line that is not a comment, blank, or a well-formed sample.
 *
 * @example
 * const scrape = parsePrometheusText(await response.text());
 * expect(scrape.value('equos_avatar_sessions_stopped_total', { cause: 'visitor' })).toBe(1);
 */
export function parsePrometheusText(text: string): Scrape {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const type = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (type) types.set(type[1]!, type[2]!);
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample: ${line}`);
    const labels: Record<string, string> = {};
    const body = match[2] ?? '';
    LABEL.lastIndex = 0;
    let consumed = 0;
    for (let label = LABEL.exec(body); label; label = LABEL.exec(body)) {
      labels[label[1]!] = unescape(label[2]!);
      consumed = LABEL.lastIndex;
    }
    if (consumed !== body.length) throw new Error(`malformed labels: ${line}`);
    samples.push({ name: match[1]!, labels, value: parseValue(match[3]!) });
  }
  const sameLabels = (a: Record<string, string>, b: Record<string, string>) => Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([key, value]) => a[key] === value);
  return {
    samples,
    types,
    value: (name, labels = {}) => samples.find((sample) => sample.name === name && sameLabels(sample.labels, labels))?.value,
    series: (name) => samples.filter((sample) => sample.name === name),
  };
}
