import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runScript } from './runner.js';

const DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'testdata');

for (const file of readdirSync(DIR)
  .filter((f) => f.endsWith('.test'))
  .sort()) {
  test(`promqltest ${file}`, async () => {
    const { evals, failures } = await runScript(readFileSync(join(DIR, file), 'utf8'));
    assert.ok(evals > 0, 'the script has no eval commands');
    const report = failures.map((f) => `line ${f.line}: ${f.expr}\n    ${f.message}`).join('\n');
    assert.equal(failures.length, 0, `${failures.length} of ${evals} evals failed:\n${report}`);
  });
}
