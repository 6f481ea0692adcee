// Builds the server (tsc → dist/) and the web app (vite → dist/ui/), and records build info.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo, hostname } from 'node:os';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function git(...args) {
  try {
    return execFileSync('git', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

// Start clean so files whose source was deleted do not linger in dist/.
rmSync('dist', { recursive: true, force: true });
run('npx', ['tsc', '-p', 'tsconfig.build.json']);
run('npx', ['vite', 'build', '--config', 'src/ui/vite.config.ts', '--logLevel', 'warn']);

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
mkdirSync('dist', { recursive: true });
writeFileSync(
  'dist/buildinfo.json',
  JSON.stringify(
    {
      version: pkg.version,
      // A Docker build has no .git: the Dockerfile passes these as build arguments.
      revision: process.env.VIGIL_REVISION ?? git('rev-parse', 'HEAD'),
      branch: process.env.VIGIL_BRANCH ?? git('rev-parse', '--abbrev-ref', 'HEAD'),
      buildUser: `${userInfo().username}@${hostname()}`,
      buildDate: new Date().toISOString(),
    },
    null,
    2,
  ) + '\n',
);
