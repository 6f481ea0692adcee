// `kubectl kustomize` renders each kustomization offline, as `kubectl apply -k` would before
// sending anything: it must build (no cycles, no missing files), give exactly the objects of
// the files it names, and each rendered object must still be valid against its schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DEPLOY_DIR, loadKustomizations, loadManifests, validateManifest } from './manifests.js';

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const skip = kubectl.error ? 'kubectl is not installed' : false;
const all = loadManifests();
const key = (m: { kind: string; name: string }) => `${m.kind}/${m.name}`;

/** The objects a kustomization names: its files' and, through folders, their kustomizations'. */
function expected(dir: string): string[] {
  const k = loadKustomizations().find((x) => x.dir === dir);
  assert.ok(k, `no kustomization in ${dir}`);
  return k.resources.flatMap((r) => {
    const path = join(dir, r);
    return /\.ya?ml$/.test(r)
      ? all.filter((m) => m.file === path).map(key)
      : expected(path === '.' ? '' : path);
  });
}

for (const k of loadKustomizations()) {
  test(`kubectl kustomize ${k.dir || '.'} renders the objects it names`, { skip }, () => {
    const r = spawnSync('kubectl', ['kustomize', join(DEPLOY_DIR, k.dir)], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const rendered = parseAllDocuments(r.stdout as string);
    assert.ok(Array.isArray(rendered));
    const objects = rendered.map((d, i) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const doc = d.toJS() as any;
      const m = {
        file: `kubectl kustomize ${k.dir || '.'} #${i}`,
        apiVersion: doc.apiVersion as string,
        kind: doc.kind as string,
        name: doc.metadata.name as string,
        doc,
      };
      validateManifest(m);
      return m;
    });
    assert.deepEqual(objects.map(key).sort(), expected(k.dir).sort());
  });
}
