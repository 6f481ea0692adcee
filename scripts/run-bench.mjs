// Runs every benchmark (*.bench.ts beside the code and under bench/) one after another and
// prints their figures; copy the latest into bench/RESULTS.md with the machine they came from.
// Arguments narrow the run to files whose path contains one of them. Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { findFiles } from './find-files.mjs';

const filters = process.argv.slice(2);
const files = findFiles(['src', 'bench'], '.bench.ts', filters);
let failed = 0;
for (const file of files) {
  console.log(`\n### ${file}`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', file], {
    stdio: 'inherit',
  });
  if (r.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
