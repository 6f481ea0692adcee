// What the manifests hand to `vigil`: the ConfigMaps' vigil.yml and agent.yml pass Vigil's own
// validation, and every flag the StatefulSet and DaemonSet pass exists in the built CLI's help,
// with a value where it takes one and one of its choices where it has some, and names a file
// that the pod mounts. Needs `npm run build`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { agentConfigSchema } from '../../src/config/agent.js';
import { parseWithSchema } from '../../src/config/parse.js';
import { runVigil, tempDir } from '../harness/vigil.js';
import { find, loadManifests, type Manifest } from './manifests.js';

const all = loadManifests();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

interface HelpOption {
  takesValue: boolean;
  choices: string[] | undefined;
}

/** The options `vigil <command> --help` lists. */
async function helpOptions(command: string): Promise<Map<string, HelpOption>> {
  const r = await runVigil([command, '--help']);
  assert.equal(r.code, 0, r.stderr);
  // Commander wraps long descriptions; join them so a choices list is on one line.
  const text = r.stdout.replace(/\n {20,}/g, ' ');
  const out = new Map<string, HelpOption>();
  for (const m of text.matchAll(/^ {2}(?:-\w, )?(--[\w.-]+)( <[^>]+>)?(.*)$/gm)) {
    const choices = /\(choices: ([^)]*)\)/.exec(m[3]!)?.[1];
    out.set(m[1]!, {
      takesValue: m[2] !== undefined,
      choices: choices?.split(', ').map((c) => JSON.parse(c) as string),
    });
  }
  assert.ok(out.size > 2, `cannot read the options of vigil ${command} --help:\n${r.stdout}`);
  return out;
}

/** `--flag value` and `--flag=value` pairs of an argument list after the subcommand. */
function flags(args: readonly string[]): [string, string | undefined][] {
  const out: [string, string | undefined][] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    assert.ok(a.startsWith('--'), `argument ${a} is not a flag`);
    const eq = a.indexOf('=');
    if (eq > 0) out.push([a.slice(0, eq), a.slice(eq + 1)]);
    else if (args[i + 1] !== undefined && !args[i + 1]!.startsWith('--')) out.push([a, args[++i]]);
    else out.push([a, undefined]);
  }
  return out;
}

/** The volume (and the key inside it) that holds the file at `path` in the container. */
function mountedFile(w: Manifest, container: Any, path: string): { volume: Any; key: string } {
  // The deepest mount wins, as in the container (/var/log/pods over /var/log).
  const mount = (container.volumeMounts as Any[])
    .filter((m) => path.startsWith(`${m.mountPath as string}/`))
    .sort((a, b) => (b.mountPath as string).length - (a.mountPath as string).length)[0];
  assert.ok(mount, `${w.name}: ${path} is on no mounted volume`);
  const volume = (w.doc.spec.template.spec.volumes as Any[]).find((v) => v.name === mount.name);
  return { volume, key: posix.relative(mount.mountPath as string, path) };
}

for (const [kind, name, command] of [
  ['StatefulSet', 'vigil', 'server'],
  ['DaemonSet', 'vigil-agent', 'agent'],
] as const) {
  test(`the ${kind}'s arguments are flags of vigil ${command}`, async () => {
    const w = find(all, kind, name);
    const [c] = w.doc.spec.template.spec.containers as Any[];
    const args = c.args as string[];
    assert.equal(args[0], command);
    const options = await helpOptions(command);
    for (const [flag, value] of flags(args.slice(1))) {
      const o = options.get(flag);
      assert.ok(o, `vigil ${command} has no flag ${flag}: ${[...options.keys()].join(' ')}`);
      assert.equal(value !== undefined, o.takesValue, `${flag} ${value ?? '(no value)'}`);
      if (o.choices && value !== undefined) {
        assert.ok(
          o.choices.includes(value),
          `${flag} ${value}: not one of ${o.choices.join(', ')}`,
        );
      }
    }
  });
}

test('the server reads its vigil.yml and admin password from what the pod mounts', async (t) => {
  const sts = find(all, 'StatefulSet', 'vigil');
  const [c] = sts.doc.spec.template.spec.containers as Any[];
  const args = new Map(flags((c.args as string[]).slice(1)));
  const config = mountedFile(sts, c, args.get('--config')!);
  const cm = find(all, 'ConfigMap', config.volume.configMap.name as string);
  const text = cm.doc.data[config.key] as string;
  assert.ok(text, `ConfigMap ${cm.name} has no key ${config.key}`);
  const pw = mountedFile(sts, c, args.get('--admin-password-file')!);
  assert.equal(pw.volume.secret.secretName, 'vigil-admin');
  assert.equal(pw.key, 'password', 'docs/kubernetes.md creates the Secret with key "password"');

  const file = join(tempDir(t), 'vigil.yml');
  writeFileSync(file, text);
  const r = await runVigil(['check', 'config', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${file}: valid\n`);
});

test("the agent's agent.yml is valid and reads only what the DaemonSet mounts", () => {
  const ds = find(all, 'DaemonSet', 'vigil-agent');
  const [c] = ds.doc.spec.template.spec.containers as Any[];
  const args = new Map(flags((c.args as string[]).slice(1)));
  const config = mountedFile(ds, c, args.get('--config')!);
  const cm = find(all, 'ConfigMap', config.volume.configMap.name as string);
  const text = cm.doc.data[config.key] as string;
  assert.ok(text, `ConfigMap ${cm.name} has no key ${config.key}`);
  const agent = parseWithSchema(text, `${cm.name}/${config.key}`, agentConfigSchema);
  for (const input of agent.inputs) {
    if (input.type !== 'tail') continue;
    for (const pattern of input.include) {
      const { volume } = mountedFile(ds, c, pattern);
      assert.ok(volume.hostPath, `${input.name}: ${pattern} is not on the node's file system`);
    }
  }
  for (const output of agent.outputs) {
    const file = (output as Any).authorization?.credentials_file as string | undefined;
    assert.ok(file, `output ${output.name} sends no token`);
    const token = mountedFile(ds, c, file);
    assert.equal(token.volume.secret.secretName, 'vigil-agent-token');
    assert.equal(token.key, 'token', 'docs/kubernetes.md creates the Secret with key "token"');
    // The server's Service, in the agent's own namespace.
    assert.ok(
      output.type !== 'file' && output.type !== 'stdout',
      `output ${output.name} ships nowhere`,
    );
    const url = new URL(output.url);
    const svc = find(all, 'Service', url.hostname);
    assert.ok((svc.doc.spec.ports as Any[]).some((p) => p.port === Number(url.port)));
  }
});
