/**
 * The package's public surface, committed so that a change to it shows in review: the Custom
 * Elements Manifest (custom-elements.json, `npm run cem`) and the API reports (api/*.api.md,
 * `npm run api`) must be what the code makes of them now, and the manifest must describe the
 * element the code defines (every attribute it reads, every event it fires).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a JavaScript script without declarations
import { apiReports } from './api-report.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = (path: string) => readFileSync(join(root, path), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'equos-surface-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Manifest {
  modules: Array<{ declarations?: Array<{ tagName?: string; attributes?: Array<{ name: string; fieldName?: string }>; events?: Array<{ name: string; type?: { text: string } }> }> }>;
}

/** What the analyzer makes of the code now, with the committed config. */
async function analyze(): Promise<Manifest> {
  const { cli } = (await import('@custom-elements-manifest/analyzer/cli.js' as string)) as { cli(options: { argv: string[]; cwd: string; noWrite: boolean }): Promise<Manifest> };
  return cli({ argv: ['analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet'], cwd: root, noWrite: true });
}

describe('custom-elements.json', async () => {
  const manifest = await analyze();
  const element = manifest.modules.flatMap((module) => module.declarations ?? []).find((declaration) => declaration.tagName === 'equos-avatar');

  it('is what the analyzer makes of the element now', () => {
    const committed = source('custom-elements.json');
    const generated = `${JSON.stringify(manifest, null, 2)}\n`;
    if (committed !== generated) expect.fail('custom-elements.json is not what the code says: run `npm run cem` and commit it.');
  });

  it('lists every attribute the element observes or the call reads', async () => {
    const listed = new Set(element!.attributes!.map((attribute) => attribute.name));
    // Lit's observed attributes, from the class's `static properties` (`attribute: 'visitor-name'`, else the lowercased name).
    const properties = /static override properties = \{([\s\S]*?)\n {2}\};/.exec(source('widget/src/equos-avatar.element.ts'))![1]!;
    const observed = [...properties.matchAll(/^\s{4}(\w+): \{([^}]*)\}/gm)].map(([, name, options]) => /attribute: '([\w-]+)'/.exec(options!)?.[1] ?? name!.toLowerCase());
    expect(observed).toContain('visitor-name');
    const readByTheCall = [...source('widget/src/live/call-runner.ts').matchAll(/(?:getAttribute|#seconds)\('([\w-]+)'/g)].map((match) => match[1]!);
    expect(readByTheCall.length).toBeGreaterThan(0);
    const missing = [...new Set([...observed, ...readByTheCall])].filter((name) => !listed.has(name));
    expect(missing, 'attributes the code has but the manifest lacks (add an @attr tag, then `npm run cem`)').toEqual([]);
  });

  it('lists every equos-* event, each with its class, and no other', () => {
    const map = /export interface EquosAvatarEventMap \{([^}]*)\}/.exec(source('widget/src/events.ts'))![1]!;
    const fired = Object.fromEntries([...map.matchAll(/'(equos-[\w-]+)': (\w+);/g)].map(([, name, type]) => [name, type]));
    // Every event class's name is in the map.
    const named = [...source('widget/src/events.ts').matchAll(/'(equos-[a-z-]+)'/g)].map((match) => match[1]!);
    expect(Object.keys(fired).sort()).toEqual([...new Set(named)].sort());
    const listed = Object.fromEntries(element!.events!.map((event) => [event.name, event.type?.text]));
    expect(listed).toEqual(fired);
  });
});

describe('api/*.api.md', () => {
  it('are what the package exports now', () => {
    // The declarations as scripts/build-package.mjs emits them, into a scratch folder.
    const types = join(scratch, 'types');
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.package.json'), '--outDir', types], { cwd: root, encoding: 'utf8' });
    } catch (error) {
      expect.fail(`the package's declarations do not compile (tsc -p tsconfig.package.json):\n${(error as { stdout?: string }).stdout ?? error}`);
    }
    const results = apiReports({ types, reportTempFolder: join(scratch, 'reports') }) as Array<{ report: string; changed: boolean; errors: string[] }>;
    for (const { report, changed, errors } of results) {
      expect(errors, report).toEqual([]);
      if (changed) expect.fail(`api/${report} is not what the package exports: run \`npm run api\` and commit the diff (it shows the public change).`);
    }
  }, 60_000);
});
