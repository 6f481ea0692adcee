/**
 * @module
 * Reads the Kubernetes manifests under deploy/kubernetes as `kubectl apply -k` would see them:
 * every YAML document of every file, with the file it came from, and the kustomizations that
 * list them. Validates objects against the Kubernetes OpenAPI schemas through kubernetes-models,
 * looked up by apiVersion and kind, since no API server is available to the tests.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as models from 'kubernetes-models';
import { parseAllDocuments } from 'yaml';

export const DEPLOY_DIR = fileURLToPath(new URL('../../deploy/kubernetes/', import.meta.url));

/** One object of a manifest file. */
export interface Manifest {
  /** Path relative to deploy/kubernetes, e.g. `ingress/ingress.yaml`. */
  file: string;
  apiVersion: string;
  kind: string;
  name: string;
  // The shapes differ per kind; tests narrow what they read.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  doc: any;
}

/** A kustomization.yaml and the directory it is in, relative to deploy/kubernetes. */
export interface Kustomization {
  dir: string;
  resources: string[];
  doc: Record<string, unknown>;
}

const KUSTOMIZATION = 'kustomization.yaml';

/** Every `.yaml`/`.yml` file under `dir`, relative to it, sorted. */
export function yamlFiles(dir = DEPLOY_DIR): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out;
}

/**
 * Parses every document of every manifest file (kustomizations aside). A YAML error, an empty
 * document or one without apiVersion, kind and metadata.name throws with the file's name.
 *
 * @example
 * const all = loadManifests();
 * const ds = all.find((m) => m.kind === 'DaemonSet');
 */
export function loadManifests(dir = DEPLOY_DIR): Manifest[] {
  const out: Manifest[] = [];
  for (const file of yamlFiles(dir)) {
    if (file.endsWith(KUSTOMIZATION)) continue;
    const docs = parseAllDocuments(readFileSync(join(dir, file), 'utf8'));
    if (!Array.isArray(docs)) throw new Error(`${file}: not a YAML stream`);
    docs.forEach((d, i) => {
      if (d.errors.length > 0) throw new Error(`${file}: document ${i}: ${d.errors[0]!.message}`);
      const doc = d.toJS() as Record<string, unknown> | null;
      const meta = doc?.metadata as { name?: unknown } | undefined;
      if (
        doc === null ||
        typeof doc.apiVersion !== 'string' ||
        typeof doc.kind !== 'string' ||
        typeof meta?.name !== 'string'
      ) {
        throw new Error(`${file}: document ${i} lacks apiVersion, kind or metadata.name`);
      }
      out.push({ file, apiVersion: doc.apiVersion, kind: doc.kind, name: meta.name, doc });
    });
  }
  return out;
}

/** Every kustomization.yaml under deploy/kubernetes. */
export function loadKustomizations(dir = DEPLOY_DIR): Kustomization[] {
  return yamlFiles(dir)
    .filter((f) => f === KUSTOMIZATION || f.endsWith(`/${KUSTOMIZATION}`))
    .map((file) => {
      const doc = parseAllDocuments(readFileSync(join(dir, file), 'utf8'));
      if (!Array.isArray(doc) || doc.length !== 1) throw new Error(`${file}: not one document`);
      const js = doc[0]!.toJS() as Record<string, unknown>;
      const dirOf = file === KUSTOMIZATION ? '' : file.slice(0, -KUSTOMIZATION.length - 1);
      return { dir: dirOf, resources: (js.resources as string[] | undefined) ?? [], doc: js };
    });
}

interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data: unknown): { validate(): void };
}

let registry: Map<string, ModelClass> | undefined;

/** `apiVersion/kind` → its kubernetes-models class, for every kind the package knows. */
function modelRegistry(): Map<string, ModelClass> {
  if (registry !== undefined) return registry;
  registry = new Map();
  // Groups hold versions that hold classes (`apps.v1.DaemonSet`); the core group is its one
  // version (`v1.Pod`).
  const visit = (mod: unknown, depth: number) => {
    for (const value of Object.values(mod as Record<string, unknown>)) {
      const c = value as { apiVersion?: unknown; kind?: unknown };
      if (typeof value === 'function' && typeof c.apiVersion === 'string') {
        registry!.set(`${c.apiVersion}/${String(c.kind)}`, value as unknown as ModelClass);
      } else if (typeof value === 'object' && value !== null && depth < 2) {
        visit(value, depth + 1);
      }
    }
  };
  visit(models, 0);
  return registry;
}

/**
 * Validates one object against the OpenAPI schema of its apiVersion and kind; throws on a kind
 * the schemas do not know (a typo in either, or a custom resource) and on schema violations.
 * Unknown fields are not reported: the generated validators allow them.
 *
 * @example
 * validateManifest(loadManifests()[0]);
 */
export function validateManifest(m: Manifest): void {
  const cls = modelRegistry().get(`${m.apiVersion}/${m.kind}`);
  if (cls === undefined) {
    throw new Error(`${m.file}: ${m.kind} ${m.name}: unknown kind ${m.apiVersion}/${m.kind}`);
  }
  try {
    new cls(m.doc).validate();
  } catch (err) {
    throw new Error(`${m.file}: ${m.kind} ${m.name}: ${(err as Error).message}`, { cause: err });
  }
}

/** The one object of `kind` named `name`; throws when there is not exactly one. */
export function find(all: readonly Manifest[], kind: string, name: string): Manifest {
  const found = all.filter((m) => m.kind === kind && m.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0]!;
}

/** A role's rules as sorted `group/resource verbs` lines. */
export function grants(role: Manifest): string[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (role.doc.rules as any[])
    .flatMap((rule) =>
      (rule.apiGroups as string[]).flatMap((g) =>
        (rule.resources as string[]).map(
          (r) => `${g}/${r} ${[...(rule.verbs as string[])].sort().join(',')}`,
        ),
      ),
    )
    .sort();
}

/** The value after `flag` in an argument list (`--flag value` or `--flag=value`). */
export function flagValue(args: readonly string[], flag: string): string {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === flag) return args[i + 1]!;
    if (args[i]!.startsWith(`${flag}=`)) return args[i]!.slice(flag.length + 1);
  }
  throw new Error(`no ${flag} in ${args.join(' ')}`);
}
