// Lists files under the source folders whose names end in `suffix`, narrowed by the command
// line: with arguments, only paths that contain one of them. Shared by the test and bench runners.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir, suffix, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'testdata') walk(path, suffix, out);
    } else if (entry.name.endsWith(suffix)) {
      out.push(path);
    }
  }
  return out;
}

export function findFiles(roots, suffix, filters) {
  const files = roots.flatMap((root) => walk(root, suffix, []));
  return files.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
}
