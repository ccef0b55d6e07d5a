/**
 * @module k8s/crd/openapi
 * Turns OpenAPI v3 schemas as served by kube-apiserver (`/openapi/v3/...`) into structural CRD schemas the way
 * controller-gen renders Go types: `$ref`s inlined, special types (IntOrString, Quantity, Time, embedded
 * ObjectMeta) replaced by their CRD forms, and everything openapi-gen adds that controller-gen does not
 * (enums from +enum, strategic-merge-patch hints, implicit zero defaults) dropped.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  CONDITION,
  CONDITION_VALIDATIONS,
  EMBEDDED_OBJECT_META,
  LOCAL_OBJECT_REFERENCE,
  OBJECT_META,
  QUANTITY_PATTERN,
  type JSONSchemaProps,
} from './schema.ts';

/** An OpenAPI v3 document as served by the apiserver; only its component schemas are used. */
export interface OpenAPIDocument {
  components?: { schemas?: Record<string, JSONSchemaProps> };
}

const REF_PREFIX = '#/components/schemas/';

/** Extensions controller-gen never writes into a CRD. */
const DROPPED_KEYS = new Set([
  'x-kubernetes-group-version-kind',
  'x-kubernetes-patch-strategy',
  'x-kubernetes-patch-merge-key',
  'x-kubernetes-unions',
]);

/** Types with a fixed CRD rendering instead of their OpenAPI shape. */
const SPECIAL: Record<string, () => JSONSchemaProps> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': () => ({
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    'x-kubernetes-int-or-string': true,
  }),
  'io.k8s.apimachinery.pkg.api.resource.Quantity': () => ({
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    pattern: QUANTITY_PATTERN,
    'x-kubernetes-int-or-string': true,
  }),
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': () => ({ type: 'string', format: 'date-time' }),
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': () => ({ type: 'string', format: 'date-time' }),
  [OBJECT_META]: () => structuredClone(EMBEDDED_OBJECT_META),
};

/** openapi-gen appends the enum values of +enum types to descriptions; controller-gen does not. */
const ENUM_SUFFIX = /\n\nPossible enum values:\n[\s\S]*$/;

/** Merges the component schemas of several documents; a name is looked up in the first document having it. */
export function schemaIndex(docs: readonly OpenAPIDocument[]): Map<string, JSONSchemaProps> {
  const index = new Map<string, JSONSchemaProps>();
  for (const doc of docs) {
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      if (!index.has(name)) index.set(name, schema);
    }
  }
  return index;
}

/**
 * Resolves every `$ref` in `schema` against `index`. Nodes of our own schema keep their enums and defaults;
 * inside a built-in type, only defaults declared by a `+default` marker survive (see keepBuiltinDefault).
 */
export function resolveSchema(schema: JSONSchemaProps, index: Map<string, JSONSchemaProps>): JSONSchemaProps {
  // A deep copy, so the result shares no arrays with the inputs or our schema constants.
  return structuredClone(resolve(schema, { index, builtin: false, stack: [], type: '' }));
}

interface Context {
  index: Map<string, JSONSchemaProps>;
  /** Inside a schema that came from the apiserver. */
  builtin: boolean;
  /** Names being inlined, to report cycles instead of recursing forever. */
  stack: string[];
  /** The built-in type whose fields are being resolved. */
  type: string;
  /** The property being resolved, when the node is one. */
  field?: { name: string; required: boolean };
}

function refName(ref: string): string {
  if (!ref.startsWith(REF_PREFIX)) throw new Error(`unsupported $ref "${ref}" (expected ${REF_PREFIX}<name>)`);
  return ref.slice(REF_PREFIX.length);
}

/** The single `$ref` a node points at, directly or as OpenAPI v3's `allOf: [{$ref}]` wrapper. */
function targetOf(node: JSONSchemaProps): string | undefined {
  if (node.$ref !== undefined) return refName(node.$ref);
  const only = node.allOf?.length === 1 ? node.allOf[0] : undefined;
  if (only?.$ref !== undefined && Object.keys(only).length === 1) return refName(only.$ref);
  if (node.allOf !== undefined) throw new Error(`unsupported allOf: ${JSON.stringify(node.allOf)}`);
  return undefined;
}

function inline(name: string, ctx: Context): JSONSchemaProps {
  const special = SPECIAL[name];
  if (special) return special();
  if (ctx.stack.includes(name)) throw new Error(`recursive schema: ${[...ctx.stack, name].join(' -> ')}`);
  const target = ctx.index.get(name);
  if (!target) throw new Error(`schema "${name}" is not in the given OpenAPI documents`);
  const resolved = resolve(target, {
    ...ctx,
    builtin: true,
    stack: [...ctx.stack, name],
    type: name,
    field: undefined,
  });
  if (embedsLocalObjectReference(target, ctx.index)) resolved['x-kubernetes-map-type'] ??= 'atomic';
  if (name === CONDITION) {
    for (const [field, extra] of Object.entries(CONDITION_VALIDATIONS)) {
      const prop = resolved.properties?.[field];
      if (!prop) throw new Error(`${CONDITION} has no field "${field}"`);
      Object.assign(prop, extra);
    }
  }
  return resolved;
}

function resolve(node: JSONSchemaProps, ctx: Context): JSONSchemaProps {
  const target = targetOf(node);
  // The referenced type gives the shape; the referring field adds its description and markers.
  const out: JSONSchemaProps = target === undefined ? {} : inline(target, ctx);
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' || key === 'allOf' || DROPPED_KEYS.has(key) || value === undefined) continue;
    switch (key) {
      case 'properties': {
        const required = new Set(node.required);
        out.properties = Object.fromEntries(
          Object.entries(value as Record<string, JSONSchemaProps>).map(([k, v]) => [
            k,
            resolve(v, { ...ctx, field: { name: k, required: required.has(k) } }),
          ]),
        );
        break;
      }
      case 'items':
        out.items = resolve(value as JSONSchemaProps, { ...ctx, field: undefined });
        break;
      case 'additionalProperties':
        out.additionalProperties =
          typeof value === 'boolean' ? value : resolve(value as JSONSchemaProps, { ...ctx, field: undefined });
        break;
      case 'required':
        out.required = [...(value as string[])].sort();
        break;
      case 'description':
        out.description = ctx.builtin ? (value as string).replace(ENUM_SUFFIX, '') : (value as string);
        break;
      case 'enum':
        if (!ctx.builtin) out.enum = value as unknown[];
        break;
      case 'default':
        if (!ctx.builtin || keepBuiltinDefault(value, ctx)) out.default = value;
        break;
      case 'oneOf':
      case 'anyOf':
        // Built-in unions other than IntOrString/Quantity would need controller-gen's rules; there are none yet.
        if (ctx.builtin) throw new Error(`unsupported ${key} in a built-in schema: ${JSON.stringify(value)}`);
        out[key] = (value as JSONSchemaProps[]).map((v) => resolve(v, ctx));
        break;
      default:
        (out as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}

/**
 * Defaults written with `+default=ref(GoConstant)`: openapi-gen resolves them, controller-gen cannot and omits them.
 * Keeping them would make the apiserver fill in fields upstream's CRD leaves empty (and change revision hashes).
 */
const REF_DEFAULTS: Record<string, readonly string[]> = {
  'io.k8s.api.core.v1.AzureDiskVolumeSource': ['cachingMode', 'kind'],
};

/**
 * openapi-gen also writes the Go zero value as `default` for non-pointer fields without omitempty (which are the
 * required ones) and `{}` for struct fields; controller-gen writes only `+default=` markers, which sit on optional
 * fields.
 */
function keepBuiltinDefault(value: unknown, ctx: Context): boolean {
  if (isEmptyObject(value)) return false;
  if (ctx.field === undefined) return false; // items and map values: always implicit
  if (REF_DEFAULTS[ctx.type]?.includes(ctx.field.name)) return false;
  const zero = value === '' || value === 0 || value === false;
  return !(zero && ctx.field.required);
}

/** A struct that embeds LocalObjectReference inline inherits its `+structType=atomic`; openapi-gen drops it. */
function embedsLocalObjectReference(schema: JSONSchemaProps, index: Map<string, JSONSchemaProps>): boolean {
  const reference = index.get(LOCAL_OBJECT_REFERENCE)?.properties?.name;
  return reference !== undefined && isDeepStrictEqual(schema.properties?.name, reference);
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}
