// Runs every *.test.ts (unit tests beside the code, end-to-end tests under test/e2e) with node's
// test runner; TypeScript is loaded through tsx. Node 20's --test does not expand globs itself.
// Arguments narrow the run to files whose path contains one of them. A test may take 4 minutes:
// the agent's simulated node runs ~80 s alone and nearly twice that on a loaded 2-core machine.
import { spawnSync } from 'node:child_process';
import { findFiles } from './find-files.mjs';

const filters = process.argv.slice(2);
const files = findFiles(['src', 'test'], '.test.ts', filters);
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=240000', ...files],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
