#!/usr/bin/env node
/**
 * The package's API reports (api/equos-avatar.api.md, api/token-server.api.md, committed), by
 * API Extractor from the declarations scripts/build-package.mjs emits: every change to what
 * the package exports shows in review as a diff of these files.
 *
 *   node scripts/api-report.mjs --local   rewrites the reports (`npm run api`)
 *   node scripts/api-report.mjs           fails when they are not what the code exports
 *
 * `--types <dir>` reads the declarations from elsewhere than dist/npm/types (the test emits
 * its own).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The package's entry points: their report's name and their declaration, under the types folder. */
export const API_ENTRIES = [
  { config: 'api/equos-avatar.api-extractor.json', report: 'equos-avatar.api.md', declaration: 'widget/src/module.d.ts' },
  { config: 'api/token-server.api-extractor.json', report: 'token-server.api.md', declaration: 'token-server/src/library.d.ts' },
];

/**
 * Runs API Extractor on each entry.
 *
 * @param options.local rewrite the committed reports [false: only compare, writing the new one to `reportTempFolder`]
 * @param options.types the declarations' folder [dist/npm/types]
 * @param options.reportTempFolder where a differing report is written [.reports/api]
 * @returns per entry, whether its report differs from the committed one and where the new one is
 */
export function apiReports({ local = false, types = join(root, 'dist/npm/types'), reportTempFolder = join(root, '.reports/api') } = {}) {
  return API_ENTRIES.map((entry) => {
    const configObjectFullPath = join(root, entry.config);
    const configObject = ExtractorConfig.loadFile(configObjectFullPath);
    configObject.mainEntryPointFilePath = join(types, entry.declaration);
    configObject.apiReport = { ...configObject.apiReport, reportTempFolder };
    const config = ExtractorConfig.prepare({ configObject, configObjectFullPath, packageJsonFullPath: join(root, 'package.json') });
    const messages = [];
    const result = Extractor.invoke(config, {
      localBuild: local,
      messageCallback(message) {
        // The report says what changed; the console gets only errors.
        if (message.logLevel === 'error') messages.push(message.text);
        message.handled = true;
      },
    });
    return { report: entry.report, changed: result.apiReportChanged, errors: messages.concat(result.succeeded || result.apiReportChanged ? [] : [`${entry.report}: API Extractor failed`]), newReport: join(reportTempFolder, entry.report) };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const local = args.includes('--local');
  const typesAt = args.indexOf('--types');
  const results = apiReports({ local, ...(typesAt >= 0 ? { types: args[typesAt + 1] } : {}) });
  let failed = false;
  for (const { report, changed, errors, newReport } of results) {
    for (const error of errors) process.stderr.write(`${error}\n`);
    if (errors.length) failed = true;
    if (local) process.stdout.write(`api/${report}: ${changed ? 'updated' : 'unchanged'}\n`);
    else if (changed) {
      failed = true;
      process.stderr.write(`api/${report} is not what the package exports (see ${newReport}): run \`npm run api\` and commit the diff.\n`);
    }
  }
  if (failed) process.exit(1);
}
