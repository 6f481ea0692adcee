/**
 * @module
 * A fake Kubernetes API server on 127.0.0.1 for discovery tests, speaking the JSON wire format
 * of the real one for pods, nodes, namespaces, services, endpoints (core/v1), endpointslices
 * (discovery.k8s.io/v1) and ingresses (networking.k8s.io/v1): paged lists with a resource
 * version, label and field selectors (equality only), per-namespace paths, and watches that
 * replay changes after a resource version and then stream new ones as newline-delimited JSON.
 * Tests change objects through `apply`/`remove`, send bookmarks, and force a relist with
 * `expire` (the next watch from an old version gets 410, as a status or an ERROR event) or
 * `breakWatches` (open watches get an ERROR 410 event and end). Also answers `/version`, which
 * Prometheus reads to choose API versions. With `tls` it serves HTTPS, as a real API server does.
 */

import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

interface Kind {
  group: string;
  kind: string;
  apiVersion: string;
  namespaced: boolean;
}

export const KINDS: Readonly<Record<string, Kind>> = {
  pods: { group: '/api/v1', kind: 'Pod', apiVersion: 'v1', namespaced: true },
  nodes: { group: '/api/v1', kind: 'Node', apiVersion: 'v1', namespaced: false },
  namespaces: { group: '/api/v1', kind: 'Namespace', apiVersion: 'v1', namespaced: false },
  services: { group: '/api/v1', kind: 'Service', apiVersion: 'v1', namespaced: true },
  endpoints: { group: '/api/v1', kind: 'Endpoints', apiVersion: 'v1', namespaced: true },
  endpointslices: {
    group: '/apis/discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    apiVersion: 'discovery.k8s.io/v1',
    namespaced: true,
  },
  ingresses: {
    group: '/apis/networking.k8s.io/v1',
    kind: 'Ingress',
    apiVersion: 'networking.k8s.io/v1',
    namespaced: true,
  },
};

export interface FakeObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
  [k: string]: unknown;
}

interface Change {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  obj: FakeObject;
}

interface Watcher {
  plural: string;
  namespace: string | undefined;
  filter: (o: FakeObject) => boolean;
  res: http.ServerResponse;
}

export interface RequestRecord {
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
}

export class FakeKubeApi {
  readonly #server: http.Server;
  readonly #scheme: 'http' | 'https';
  #rv = 100;
  /** Watches from a version below this get 410 Gone. */
  #oldest = 0;
  readonly #objects = new Map<string, Map<string, FakeObject>>();
  readonly #history = new Map<string, Change[]>();
  readonly #watchers = new Set<Watcher>();
  /** Every request, for tests that check paths, selectors and credentials. */
  readonly requests: RequestRecord[] = [];
  /** How an expired resource version is reported: HTTP 410 or a 200 stream with an ERROR event. */
  goneAs: 'status' | 'event' = 'status';

  private constructor(server: http.Server, scheme: 'http' | 'https') {
    this.#server = server;
    this.#scheme = scheme;
    for (const plural of Object.keys(KINDS)) {
      this.#objects.set(plural, new Map());
      this.#history.set(plural, []);
    }
  }

  /**
   * @example
   * const api = await FakeKubeApi.start();
   * api.apply('pods', { metadata: { name: 'web-0', namespace: 'default' }, status: { podIP: '10.0.0.5' } });
   */
  static async start(options: { tls?: { cert: Buffer; key: Buffer } } = {}): Promise<FakeKubeApi> {
    const holder: { api?: FakeKubeApi } = {};
    const handle = (req: http.IncomingMessage, res: http.ServerResponse) =>
      holder.api!.#handle(req, res);
    const server =
      options.tls === undefined
        ? http.createServer(handle)
        : https.createServer(options.tls, handle);
    const api = new FakeKubeApi(server, options.tls === undefined ? 'http' : 'https');
    holder.api = api;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  get url(): string {
    return `${this.#scheme}://127.0.0.1:${this.port}`;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** Open watch connections, for tests waiting until a client watches. */
  watching(plural: string): number {
    return [...this.#watchers].filter((w) => w.plural === plural).length;
  }

  /** Adds or replaces an object and tells matching watchers. */
  apply(plural: string, obj: FakeObject): void {
    const objects = this.#objects.get(plural)!;
    const key = keyOf(obj);
    const type = objects.has(key) ? 'MODIFIED' : 'ADDED';
    const k = KINDS[plural]!;
    const stored: FakeObject = {
      kind: k.kind,
      apiVersion: k.apiVersion,
      ...structuredClone(obj),
      metadata: { ...structuredClone(obj.metadata), resourceVersion: String(++this.#rv) },
    };
    objects.set(key, stored);
    this.#record(plural, { rv: this.#rv, type, obj: stored });
  }

  remove(plural: string, namespace: string | undefined, name: string): void {
    const objects = this.#objects.get(plural)!;
    const key = namespace === undefined ? name : `${namespace}/${name}`;
    const old = objects.get(key);
    if (old === undefined) return;
    objects.delete(key);
    const gone = { ...old, metadata: { ...old.metadata, resourceVersion: String(++this.#rv) } };
    this.#record(plural, { rv: this.#rv, type: 'DELETED', obj: gone });
  }

  /** Sends a BOOKMARK with the current resource version to every open watch. */
  bookmark(): void {
    for (const w of this.#watchers) {
      const k = KINDS[w.plural]!;
      const obj = {
        kind: k.kind,
        apiVersion: k.apiVersion,
        metadata: { resourceVersion: String(this.#rv) },
      };
      w.res.write(`${JSON.stringify({ type: 'BOOKMARK', object: obj })}\n`);
    }
  }

  /** Forgets history: a watch from any version seen so far must list again. */
  expire(): void {
    // A list made now returns the new version, from which watching works again.
    this.#oldest = ++this.#rv;
  }

  /** Expires history and ends every open watch with an ERROR event carrying code 410. */
  breakWatches(): void {
    this.expire();
    for (const w of this.#watchers) {
      w.res.end(`${JSON.stringify({ type: 'ERROR', object: goneStatus() })}\n`);
    }
    this.#watchers.clear();
  }

  /** How many lists (not watches) of `plural` were asked for, in any namespace. */
  lists(plural: string): number {
    return this.requests.filter((r) => r.path.endsWith(`/${plural}`) && !isWatch(r.query)).length;
  }

  /** Ends every open watch normally, as the server does at `timeoutSeconds`. */
  endWatches(): void {
    for (const w of this.#watchers) w.res.end();
    this.#watchers.clear();
  }

  async close(): Promise<void> {
    this.endWatches();
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  #record(plural: string, change: Change): void {
    this.#history.get(plural)!.push(change);
    const ns = change.obj.metadata.namespace;
    for (const w of this.#watchers) {
      if (w.plural !== plural) continue;
      if (w.namespace !== undefined && w.namespace !== ns) continue;
      if (!w.filter(change.obj)) continue;
      w.res.write(`${JSON.stringify({ type: change.type, object: change.obj })}\n`);
    }
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push({
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
    });
    if (url.pathname === '/version') {
      return json(res, 200, {
        major: '1',
        minor: '28',
        gitVersion: 'v1.28.0',
        platform: 'linux/amd64',
      });
    }
    const route = this.#route(url.pathname);
    if (route === undefined)
      return json(res, 404, status(404, 'NotFound', `no route ${url.pathname}`));
    const { plural, namespace } = route;
    const filter = selectorFilter(url.searchParams);
    const q = url.searchParams;
    if (isWatch(q)) {
      return this.#watch(res, plural, namespace, filter, q);
    }
    const all = [...this.#objects.get(plural)!.values()].filter(
      (o) => (namespace === undefined || o.metadata.namespace === namespace) && filter(o),
    );
    const offset = Number(q.get('continue') || '0');
    const limit = Number(q.get('limit') || '0') || all.length;
    const items = all.slice(offset, offset + limit);
    const next = offset + limit < all.length ? String(offset + limit) : undefined;
    const k = KINDS[plural]!;
    json(res, 200, {
      kind: `${k.kind}List`,
      apiVersion: k.apiVersion,
      metadata: { resourceVersion: String(this.#rv), ...(next ? { continue: next } : {}) },
      items: items.map(({ kind: _kind, apiVersion: _v, ...rest }) => rest),
    });
  }

  #watch(
    res: http.ServerResponse,
    plural: string,
    namespace: string | undefined,
    filter: (o: FakeObject) => boolean,
    q: URLSearchParams,
  ): void {
    const from = Number(q.get('resourceVersion') || '0');
    if (from < this.#oldest) {
      if (this.goneAs === 'status') return json(res, 410, goneStatus());
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify({ type: 'ERROR', object: goneStatus() })}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    for (const c of this.#history.get(plural)!) {
      if (c.rv <= from) continue;
      if (namespace !== undefined && c.obj.metadata.namespace !== namespace) continue;
      if (!filter(c.obj)) continue;
      res.write(`${JSON.stringify({ type: c.type, object: c.obj })}\n`);
    }
    const w: Watcher = { plural, namespace, filter, res };
    this.#watchers.add(w);
    const timeout = Number(q.get('timeoutSeconds') || '0');
    const timer =
      timeout > 0
        ? setTimeout(() => {
            this.#watchers.delete(w);
            res.end();
          }, timeout * 1000)
        : undefined;
    res.on('close', () => {
      clearTimeout(timer);
      this.#watchers.delete(w);
    });
  }

  #route(path: string): { plural: string; namespace: string | undefined } | undefined {
    for (const [plural, k] of Object.entries(KINDS)) {
      if (path === `${k.group}/${plural}`) return { plural, namespace: undefined };
      const prefix = `${k.group}/namespaces/`;
      if (k.namespaced && path.startsWith(prefix) && path.endsWith(`/${plural}`)) {
        const ns = path.slice(prefix.length, path.length - plural.length - 1);
        if (!ns.includes('/')) return { plural, namespace: decodeURIComponent(ns) };
      }
    }
    return undefined;
  }
}

function keyOf(obj: FakeObject): string {
  return obj.metadata.namespace === undefined
    ? obj.metadata.name
    : `${obj.metadata.namespace}/${obj.metadata.name}`;
}

function json(res: http.ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function status(code: number, reason: string, message: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
}

function goneStatus() {
  return status(410, 'Expired', 'too old resource version');
}

/** `labelSelector` (`k=v`, `k==v`, `k!=v`, `k`, `!k`) and `fieldSelector` (`a.b=v`, `a.b!=v`). */
function selectorFilter(q: URLSearchParams): (o: FakeObject) => boolean {
  const tests: ((o: FakeObject) => boolean)[] = [];
  for (const term of (q.get('labelSelector') ?? '').split(',').filter(Boolean)) {
    const labels = (o: FakeObject) => (o.metadata.labels ?? {}) as Record<string, string>;
    const m = /^([^!=]+?)\s*(!=|==|=)\s*(.*)$/.exec(term.trim());
    if (m === null) {
      const t = term.trim();
      if (t.startsWith('!')) tests.push((o) => !(t.slice(1) in labels(o)));
      else tests.push((o) => t in labels(o));
    } else {
      const [, k, op, v] = m;
      tests.push((o) => (labels(o)[k!] === v) === (op !== '!='));
    }
  }
  for (const term of (q.get('fieldSelector') ?? '').split(',').filter(Boolean)) {
    const m = /^([^!=]+?)\s*(!=|==|=)\s*(.*)$/.exec(term.trim());
    if (m === null) continue;
    const [, path, op, v] = m;
    const get = (o: FakeObject) =>
      path!
        .split('.')
        .reduce<unknown>((x, p) => (x as Record<string, unknown> | undefined)?.[p], o);
    tests.push((o) => (String(get(o) ?? '') === v) === (op !== '!='));
  }
  return (o) => tests.every((t) => t(o));
}

function isWatch(q: URLSearchParams): boolean {
  return q.get('watch') === '1' || q.get('watch') === 'true';
}
