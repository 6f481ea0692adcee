/**
 * @module
 * Finds the cgroup hierarchy and lists its cgroups. With cgroup v2 the root has
 * `cgroup.controllers` and every controller's files sit in one tree. With v1 each controller is
 * mounted in its own directory under the root (`cpuacct` or `cpu,cpuacct`, `memory`, `blkio`), and
 * a cgroup is the same relative path in each. In the hybrid layout (v1 controllers plus an empty
 * v2 tree at `unified/`) the controllers are all in v1, so that is what we read, as cAdvisor does.
 */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

/** Where each controller's files are: the same directory for v2, one per controller for v1. */
export interface Hierarchy {
  version: 1 | 2;
  /** Controller roots; an absent v1 controller is `undefined`. */
  cpu?: string;
  memory?: string;
  io?: string;
  /** The root whose tree is walked to list cgroups. */
  walkRoots: string[];
}

/**
 * @example
 * findHierarchy('/sys/fs/cgroup'); // { version: 2, cpu: '/sys/fs/cgroup', … }
 */
export function findHierarchy(root: string): Hierarchy | undefined {
  if (exists(join(root, 'cgroup.controllers'))) {
    return { version: 2, cpu: root, memory: root, io: root, walkRoots: [root] };
  }
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return undefined;
  }
  const mountOf = (controller: string) => {
    const name = entries.find((e) => e.split(',').includes(controller));
    return name === undefined ? undefined : join(root, name);
  };
  const h: Hierarchy = {
    version: 1,
    cpu: mountOf('cpuacct'),
    memory: mountOf('memory'),
    io: mountOf('blkio'),
    walkRoots: [],
  };
  h.walkRoots = [h.cpu, h.memory, h.io].filter((d): d is string => d !== undefined);
  return h.walkRoots.length > 0 ? h : undefined;
}

/**
 * Every cgroup path under the hierarchy (`/` first, then depth-first), as cAdvisor names them in
 * its `id` label. For v1 it is the union over the controllers' trees.
 *
 * @example
 * listCgroups(findHierarchy('/sys/fs/cgroup')!); // ['/', '/kubepods.slice', …]
 */
export function listCgroups(h: Hierarchy): string[] {
  const seen = new Set<string>(['/']);
  const walk = (dir: string, rel: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      // A cgroup removed while we walk is not an error: it is simply gone.
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const child = rel === '/' ? `/${e.name}` : `${rel}/${e.name}`;
      seen.add(child);
      walk(join(dir, e.name), child);
    }
  };
  for (const root of h.walkRoots) walk(root, '/');
  return [...seen];
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
