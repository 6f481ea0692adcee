/**
 * @module
 * The store's mapping (dotted paths, each with every type seen) in Elasticsearch's shapes: the
 * nested `properties` tree of `_mapping` and the flat list of `_field_caps`.
 *
 * Strings are `text` with a `keyword` subfield (`ignore_above` 256), as Elasticsearch's dynamic
 * mapping makes them, so clients query `x` and aggregate `x.keyword` (which the query layer
 * resolves to `x`, see `logs/query/es-dsl/fields.ts`). Numbers are `long` or `double`, and
 * strings the store reads as dates or addresses `date` and `ip`.
 *
 * Two things Elasticsearch cannot represent are kept visible rather than dropped:
 * - a path with several types is shown in `_mapping` as one type, the first of `text`, `date`,
 *   `ip`, `double`, `long`, `boolean` that it has (what every one of its values can be searched
 *   as), with `meta.vigil_types` listing them all; `_field_caps` lists each type, as
 *   Elasticsearch lists a conflict across indices;
 * - a path that is a value in some documents and an object in others (`labels.app` and
 *   `labels.app.kubernetes.io/name`) keeps the value under its name and the deeper path as one
 *   dotted key beside it (`"app.kubernetes.io/name"` in `labels.properties`), so clients that
 *   join names with dots, as Grafana and Kibana do, list both paths correctly.
 */

import type { FieldType } from '../../../logs/model/fields.js';
import type { FieldMapping } from '../../../logs/store/interface.js';

type EsType = 'text' | 'date' | 'ip' | 'double' | 'long' | 'boolean';

const ES_TYPE: Readonly<Record<FieldType, EsType>> = {
  keyword: 'text',
  date: 'date',
  ip: 'ip',
  double: 'double',
  long: 'long',
  boolean: 'boolean',
};

const PRECEDENCE: readonly EsType[] = ['text', 'date', 'ip', 'double', 'long', 'boolean'];

/** A node of the properties tree. */
interface Prop {
  type?: EsType;
  fields?: Record<string, unknown>;
  index?: false;
  meta?: Record<string, string>;
  properties?: Record<string, Prop>;
}

/**
 * Every Elasticsearch type a path has, in {@link PRECEDENCE} order.
 *
 * @example
 * esTypes({ path: 'x', types: ['long', 'keyword'], indexed: true }); // ['text', 'long']
 */
export function esTypes(f: FieldMapping): EsType[] {
  const set = new Set(f.types.map((t) => ES_TYPE[t]));
  return PRECEDENCE.filter((t) => set.has(t));
}

function leaf(f: FieldMapping): Prop {
  const types = esTypes(f);
  const type = types[0] ?? 'text';
  const out: Prop = { type };
  if (type === 'text') out.fields = { keyword: { type: 'keyword', ignore_above: 256 } };
  if (type === 'date') Object.assign(out, { format: 'strict_date_optional_time||epoch_millis' });
  if (!f.indexed) out.index = false;
  if (types.length > 1) out.meta = { vigil_types: types.join(',') };
  return out;
}

/**
 * The `properties` tree of a mapping.
 *
 * @example
 * propertiesOf(new Map([['a.b', { path: 'a.b', types: ['long'], indexed: true }]]));
 * // { a: { properties: { b: { type: 'long' } } } }
 */
export function propertiesOf(mapping: ReadonlyMap<string, FieldMapping>): Record<string, Prop> {
  const root: Record<string, Prop> = {};
  // Shorter paths first, so a value is placed before the objects that would hide it.
  const paths = [...mapping.keys()].sort();
  for (const path of paths) {
    const parts = path.split('.');
    let level = root;
    for (let k = 0; k < parts.length; k++) {
      const name = parts[k]!;
      const last = k === parts.length - 1;
      const node = level[name];
      if (last) {
        if (node === undefined) level[name] = leaf(mapping.get(path)!);
        else Object.assign(node, leaf(mapping.get(path)!));
        break;
      }
      if (node !== undefined && node.type !== undefined) {
        level[parts.slice(k).join('.')] = leaf(mapping.get(path)!);
        break;
      }
      const obj = node ?? (level[name] = { properties: {} });
      obj.properties ??= {};
      level = obj.properties;
    }
  }
  return root;
}

/** One `_field_caps` entry of a type. */
interface Caps {
  type: string;
  metadata_field: boolean;
  searchable: boolean;
  aggregatable: boolean;
  indices?: string[];
}

/**
 * The `fields` of a `_field_caps` answer for the indices' mappings, filtered by `wanted`
 * (names and `*` patterns). Per path and type it names the indices when not all have it.
 *
 * @example
 * fieldCaps(new Map([['logs', mapping]]), (p) => true)['message']; // { text: { … }, … }
 */
export function fieldCaps(
  byIndex: ReadonlyMap<string, ReadonlyMap<string, FieldMapping>>,
  wanted: (path: string) => boolean,
): Record<string, Record<string, Caps>> {
  const out: Record<string, Record<string, Caps>> = {};
  const seen = new Map<string, Set<string>>();
  const add = (path: string, type: string, index: string, searchable: boolean, agg: boolean) => {
    if (!wanted(path)) return;
    const caps = (out[path] ??= {});
    const c = (caps[type] ??= {
      type,
      metadata_field: false,
      searchable,
      aggregatable: agg,
    });
    const key = `${path}\u0000${type}`;
    let set = seen.get(key);
    if (set === undefined) seen.set(key, (set = new Set()));
    set.add(index);
    c.searchable &&= searchable;
  };
  for (const [index, mapping] of byIndex) {
    for (const f of mapping.values()) {
      for (const t of esTypes(f)) {
        add(f.path, t, index, f.indexed, t !== 'text');
        if (t === 'text') add(`${f.path}.keyword`, 'keyword', index, f.indexed, true);
      }
    }
  }
  for (const meta of ['_id', '_index']) {
    if (wanted(meta)) {
      out[meta] = {
        [meta]: { type: meta, metadata_field: true, searchable: false, aggregatable: false },
      };
    }
  }
  const names = [...byIndex.keys()];
  for (const [key, set] of seen) {
    if (set.size === names.length) continue;
    const [path, type] = key.split('\u0000') as [string, string];
    out[path]![type]!.indices = [...set].sort();
  }
  return out;
}
