/**
 * @module disaggregatedset/api/crd
 * The DisaggregatedSet and DisaggregatedSetRoleScaler CustomResourceDefinitions: built from crd-schema.ts plus the
 * built-in types of the apiserver's OpenAPI v3 documents (`npm run gen:crd`), committed under config/crd/, and
 * read back from there by everything that installs them (one source).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { resolveSchema, schemaIndex, type OpenAPIDocument } from '../../k8s/crd/openapi.ts';
import { TYPE_META_SOURCE, type JSONSchemaProps } from '../../k8s/crd/schema.ts';
import {
  DISAGGREGATED_SET_DESCRIPTION,
  ROLE_SCALER_DESCRIPTION,
  disaggregatedSetSpecSchema,
  disaggregatedSetStatusSchema,
  roleScalerSpecSchema,
  roleScalerStatusSchema,
} from './crd-schema.ts';
import {
  DisaggregatedSetKind,
  DisaggregatedSetListKind,
  DisaggregatedSetPlural,
  DisaggregatedSetRoleScalerKind,
  DisaggregatedSetRoleScalerListKind,
  DisaggregatedSetRoleScalerPlural,
  DisaggregatedSetRoleScalerShortNames,
  DisaggregatedSetRoleScalerSingular,
  DisaggregatedSetSingular,
  Group,
  Version,
} from './keys.ts';

export const DS_CRD_NAME = `${DisaggregatedSetPlural}.${Group}`;
export const ROLE_SCALER_CRD_NAME = `${DisaggregatedSetRoleScalerPlural}.${Group}`;
/** The committed CRDs, relative to the repository root. */
export const DS_CRD_FILE = `config/crd/${Group}_${DisaggregatedSetPlural}.yaml`;
export const ROLE_SCALER_CRD_FILE = `config/crd/${Group}_${DisaggregatedSetRoleScalerPlural}.yaml`;

export interface DisaggregatedSetCRD {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec: {
    group: string;
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames?: string[] };
    scope: 'Namespaced';
    versions: Array<{
      name: string;
      served: boolean;
      storage: boolean;
      schema: { openAPIV3Schema: JSONSchemaProps };
      subresources: {
        status: Record<string, never>;
        scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath: string };
      };
      additionalPrinterColumns?: Array<{ name: string; type: string; jsonPath: string; description?: string }>;
    }>;
  };
}

function rootSchema(
  index: Map<string, JSONSchemaProps>,
  description: string,
  spec: JSONSchemaProps,
  status: JSONSchemaProps,
  required: string[] | undefined,
): JSONSchemaProps {
  const typeMeta = index.get(TYPE_META_SOURCE)?.properties;
  if (!typeMeta?.apiVersion || !typeMeta.kind) {
    throw new Error(`${TYPE_META_SOURCE} with apiVersion and kind is not in the given OpenAPI documents`);
  }
  const root: JSONSchemaProps = {
    description,
    type: 'object',
    properties: {
      apiVersion: { description: typeMeta.apiVersion.description, type: 'string' },
      kind: { description: typeMeta.kind.description, type: 'string' },
      metadata: { type: 'object' },
      spec,
      status,
    },
  };
  if (required) root.required = required;
  return resolveSchema(root, index);
}

/** Both CRDs, DisaggregatedSet first, from the apiserver's OpenAPI v3 documents (see lws OPENAPI_PATHS). Pure. */
export function buildDisaggregatedSetCRDs(
  openapiDocs: readonly OpenAPIDocument[],
): [DisaggregatedSetCRD, DisaggregatedSetCRD] {
  const index = schemaIndex(openapiDocs);
  const ds: DisaggregatedSetCRD = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: DS_CRD_NAME },
    spec: {
      group: Group,
      names: {
        kind: DisaggregatedSetKind,
        listKind: DisaggregatedSetListKind,
        plural: DisaggregatedSetPlural,
        singular: DisaggregatedSetSingular,
      },
      scope: 'Namespaced',
      versions: [
        {
          name: Version,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: rootSchema(
              index,
              DISAGGREGATED_SET_DESCRIPTION,
              disaggregatedSetSpecSchema,
              disaggregatedSetStatusSchema,
              ['spec'],
            ),
          },
          subresources: { status: {} },
        },
      ],
    },
  };
  const scaler: DisaggregatedSetCRD = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: ROLE_SCALER_CRD_NAME },
    spec: {
      group: Group,
      names: {
        kind: DisaggregatedSetRoleScalerKind,
        listKind: DisaggregatedSetRoleScalerListKind,
        plural: DisaggregatedSetRoleScalerPlural,
        singular: DisaggregatedSetRoleScalerSingular,
        shortNames: [...DisaggregatedSetRoleScalerShortNames],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: Version,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: rootSchema(
              index,
              ROLE_SCALER_DESCRIPTION,
              roleScalerSpecSchema,
              roleScalerStatusSchema,
              undefined,
            ),
          },
          subresources: {
            status: {},
            scale: {
              specReplicasPath: '.spec.replicas',
              statusReplicasPath: '.status.replicas',
              labelSelectorPath: '.status.selector',
            },
          },
          additionalPrinterColumns: [
            { name: 'Desired', type: 'integer', jsonPath: '.spec.replicas' },
            { name: 'Current', type: 'integer', jsonPath: '.status.replicas' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
        },
      ],
    },
  };
  return [ds, scaler];
}

/** The YAML written to the CRD files; same conventions as the LeaderWorkerSet CRD (lws/api/crd.ts renderCRD). */
export function renderDisaggregatedSetCRD(crd: DisaggregatedSetCRD): string {
  const header =
    '# Generated by `npm run gen:crd` (hack/gen-crd.ts) from src/disaggregatedset/api/crd-schema.ts. Do not edit.\n';
  return header + '---\n' + stringify(crd, { version: '1.1', sortMapEntries: true, indentSeq: false, lineWidth: 0 });
}

let cached: [DisaggregatedSetCRD, DisaggregatedSetCRD] | undefined;

/** The committed CRDs (DisaggregatedSet, then RoleScaler) for installers. Returns fresh copies. */
export function loadDisaggregatedSetCRDs(): [DisaggregatedSetCRD, DisaggregatedSetCRD] {
  const read = (file: string) =>
    parse(readFileSync(fileURLToPath(new URL(`../../../${file}`, import.meta.url)), 'utf8'), {
      version: '1.1',
    }) as DisaggregatedSetCRD;
  cached ??= [read(DS_CRD_FILE), read(ROLE_SCALER_CRD_FILE)];
  return structuredClone(cached);
}
