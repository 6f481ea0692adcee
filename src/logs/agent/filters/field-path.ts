/**
 * @module
 * Dotted field paths (`kubernetes.pod.name`) on a record's document, as filters and the Loki
 * output address fields. A record may hold a field both nested (`{"http":{"status":200}}`) and
 * with a dot in its key (`{"http.status":200}`, from a JSON line); at each level the longest
 * key that is a prefix of the remaining path wins, so both spellings are found, as the store's
 * search finds both.
 */

/** A document as the agent holds it between parsing and serializing. */
export type Doc = Record<string, unknown>;

function isObject(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object holding `path`'s last step, and that step's key; undefined when there is none. */
function locate(doc: Doc, path: string): { parent: Doc; key: string } | undefined {
  let obj = doc;
  let rest = path;
  for (;;) {
    if (Object.hasOwn(obj, rest)) return { parent: obj, key: rest };
    // The longest `a.b` prefix naming an object in `obj`.
    let dot = rest.lastIndexOf('.');
    let next: Doc | undefined;
    while (dot > 0) {
      const v = obj[rest.slice(0, dot)];
      if (isObject(v)) {
        next = v;
        break;
      }
      dot = rest.lastIndexOf('.', dot - 1);
    }
    if (next === undefined) return undefined;
    obj = next;
    rest = rest.slice(dot + 1);
  }
}

/**
 * The value at `path`, or undefined.
 *
 * @example
 * getPath({ kubernetes: { pod: { name: 'web-0' } } }, 'kubernetes.pod.name'); // 'web-0'
 * getPath({ 'http.status': 200 }, 'http.status'); // 200
 */
export function getPath(doc: Doc, path: string): unknown {
  const at = locate(doc, path);
  return at === undefined ? undefined : at.parent[at.key];
}

/**
 * Removes the field at `path` (and the objects it leaves empty); returns its value, or
 * undefined when there was none.
 */
export function removePath(doc: Doc, path: string): unknown {
  const at = locate(doc, path);
  if (at === undefined) return undefined;
  const value = at.parent[at.key];
  delete at.parent[at.key];
  if (at.parent !== doc && Object.keys(at.parent).length === 0) {
    const parentPath = path.slice(0, path.length - at.key.length - 1);
    removePath(doc, parentPath);
  }
  return value;
}

/**
 * Sets `path` to `value`: where the path exists, in place; otherwise in nested objects made as
 * needed. A step that holds something other than an object is not replaced (that would lose
 * it): the rest of the path becomes one dotted key there.
 *
 * @example
 * const doc = {}; setPath(doc, 'cluster.name', 'eu-1'); // doc: { cluster: { name: 'eu-1' } }
 */
export function setPath(doc: Doc, path: string, value: unknown): void {
  const at = locate(doc, path);
  if (at !== undefined) {
    at.parent[at.key] = value;
    return;
  }
  let obj = doc;
  const steps = path.split('.');
  for (let i = 0; i < steps.length - 1; i++) {
    const v = obj[steps[i]!];
    if (v === undefined) {
      const made: Doc = {};
      obj[steps[i]!] = made;
      obj = made;
    } else if (isObject(v)) {
      obj = v;
    } else {
      obj[steps.slice(i).join('.')] = value;
      return;
    }
  }
  obj[steps[steps.length - 1]!] = value;
}
