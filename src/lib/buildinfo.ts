/**
 * @module
 * What build of Vigil this is. `npm run build` writes `dist/buildinfo.json` (version, git
 * revision and branch, build user and date); running from source, the version comes from
 * package.json and the rest reads `unknown`.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The fields of Prometheus' `/api/v1/status/buildinfo`, with Node's version for Go's. */
export interface BuildInfo {
  version: string;
  revision: string;
  branch: string;
  buildUser: string;
  buildDate: string;
  nodeVersion: string;
}

function readJson(relative: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8'));
  } catch {
    return null;
  }
}

let cached: BuildInfo | undefined;

/**
 * @example
 * buildInfo().version; // '0.1.0'
 */
export function buildInfo(): BuildInfo {
  if (cached !== undefined) return cached;
  // This module sits at dist/lib/ when built and src/lib/ from source, and is bundled into
  // dist/cli/agent-command.js (scripts/build.mjs): all are two levels below the repository root.
  const built = readJson('../buildinfo.json') ?? {};
  const pkg = readJson('../../package.json') ?? {};
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : 'unknown');
  cached = {
    version: text(built.version ?? pkg.version),
    revision: text(built.revision),
    branch: text(built.branch),
    buildUser: text(built.buildUser),
    buildDate: text(built.buildDate),
    nodeVersion: process.version,
  };
  return cached;
}
