/**
 * @module disaggregatedset/webhooks/validation
 * The DisaggregatedSet validating webhook (`vdisaggregatedset.kb.io`; upstream has no defaulting webhook for
 * this kind): upstream v0.10.0's `ValidateCreate`/`ValidateUpdate` (an update validates the new object only),
 * with the same checks, order, field paths, messages and warnings. Expects the object as the apiserver delivers
 * it (CRD defaults applied, see crd-defaults.ts).
 *
 * Two rules come on top, neither accepting anything v0.10.0 refuses (`OUR_RULES`; the differential tests compare
 * `UPSTREAM_V0_10_0` with upstream's Go code, and docs/differential.md lists the differences):
 * - `generatedNames`: upstream main's generated-name length check (#966, after v0.10.0), message for message and
 *   in main's place (its errors join v0.10.0's, as on main);
 * - `childLeaderWorkerSets`: a role whose child LeaderWorkerSet the LeaderWorkerSet webhook (or the apiserver's
 *   metadata validation: role labels and annotation keys) would certainly refuse is refused here already (instead
 *   of a DisaggregatedSet left half-created). It runs only when every upstream
 *   rule passed, so whatever upstream refuses is refused with upstream's message alone.
 */
import type { DisaggregatedRoleSpec, DisaggregatedSet } from '../api/types.ts';
import type { LeaderWorkerSet } from '../../lws/api/types.ts';
import {
  DNS1035MaxLength,
  ExclusiveKeyAnnotationKey,
  MaxScalerNameLength,
  PlacementNone,
  RevisionLength,
  RoleScalingExternal,
  RollingUpdateStrategyType,
  ServiceNameSuffix,
  SubGroupExclusiveKeyAnnotationKey,
} from '../api/keys.ts';
import { invalid, required, type FieldError } from '../../k8s/validation/field-errors.ts';
import { goQuote } from '../../k8s/go/format.ts';
import { scaledValue, type IntOrString } from '../../k8s/go/intstr.ts';
import { isDNS1035Label } from '../../k8s/validation/object-meta.ts';
import { validateAnnotationKeys, validateLabels } from '../../k8s/validation/labels.ts';
import { GoPanic } from '../../k8s/admission/errors.ts';
import { validateIntOrPercent, validateLeaderWorkerSet } from '../../lws/webhooks/lws-validation.ts';
import { applyLwsSpecDefaults } from '../../lws/webhooks/crd-defaults.ts';
import { defaultLeaderWorkerSet } from '../../lws/webhooks/lws-defaults.ts';
import { renderLeaderWorkerSet } from '../core/render.ts';
import { generateLabels } from '../core/utils.ts';

export interface DisaggregatedSetRules {
  /** Upstream main #966: generated Service names (`<ds>-<slice>-<revision>-<role>-prv`) within 63 characters. */
  generatedNames: boolean;
  /** Ours: refuse a role whose child LeaderWorkerSet the LeaderWorkerSet webhook would certainly refuse. */
  childLeaderWorkerSets: boolean;
}

/** Exactly upstream v0.10.0 (what the differential tests compare with upstream's Go webhook). */
export const UPSTREAM_V0_10_0: DisaggregatedSetRules = { generatedNames: false, childLeaderWorkerSets: false };
/** What lws-ts serves. */
export const OUR_RULES: DisaggregatedSetRules = { generatedNames: true, childLeaderWorkerSets: true };

export interface DisaggregatedSetValidation {
  /** Becomes `ErrorList.ToAggregate()`: the denial message (formatFieldErrors). */
  errors: FieldError[];
  /** admission.Warnings, sent with the response whether it allows or denies. */
  warnings: string[];
}

export const PARTITION_FORBIDDEN =
  'partition is not supported by DisaggregatedSet; rolling updates are managed across roles by the DisaggregatedSet controller';
export const BOTH_ZERO = 'must not be 0 when `maxSurge` is 0';
export const SLICES_WITH_EXTERNAL =
  'spec.slices > 1 is not supported while any role has scaling.mode: External (alpha restriction)';
export const TOPOLOGY_REQUIRED = 'topology is required when type is not None';

const EXCLUSIVE_KEYS = [ExclusiveKeyAnnotationKey, SubGroupExclusiveKeyAnnotationKey] as const;

/** Go's `len` of a string: its UTF-8 byte count. */
const goLen = (s: string) => Buffer.byteLength(s, 'utf8');

/** Errors and warnings for `ds`; `old` is accepted for symmetry and ignored (upstream validates the new object). */
export function validateDisaggregatedSet(
  ds: DisaggregatedSet,
  _old?: DisaggregatedSet,
  rules: DisaggregatedSetRules = OUR_RULES,
): DisaggregatedSetValidation {
  const { errors, warnings } = validateRoles(ds, rules);
  errors.push(...validatePlacement(ds));
  if (rules.childLeaderWorkerSets && errors.length === 0) errors.push(...validateChildren(ds));
  return { errors, warnings };
}

const rolesOf = (ds: DisaggregatedSet): DisaggregatedRoleSpec[] => ds.spec?.roles ?? [];
const isExternal = (role: DisaggregatedRoleSpec) => role.scaling?.mode === RoleScalingExternal;

function validateRoles(ds: DisaggregatedSet, rules: DisaggregatedSetRules): DisaggregatedSetValidation {
  const errors: FieldError[] = [];
  const warnings: string[] = [];
  const dsName = ds.metadata?.name ?? '';
  let hasExternal = false;
  rolesOf(ds).forEach((role, i) => {
    errors.push(...validateRolloutStrategy(role, `spec.roles[${i}]`));
    if (!isExternal(role)) return;
    hasExternal = true;
    const scalerName = `${dsName}-${role.name ?? ''}`;
    if (goLen(scalerName) > MaxScalerNameLength) {
      errors.push(
        invalid(
          `spec.roles[${i}].name`,
          role.name ?? '',
          `would produce scaler name ${goQuote(scalerName)} exceeding ${MaxScalerNameLength} characters`,
        ),
      );
    }
    const replicas = role.spec?.replicas;
    if (replicas !== undefined && replicas !== null && replicas > 1) {
      warnings.push(
        `role ${goQuote(role.name ?? '')} sets scaling.mode: External and spec.replicas: ${replicas} — spec.replicas is ignored; drive replicas via DisaggregatedSetRoleScaler ${goQuote(scalerName)} instead`,
      );
    }
  });
  const slices = ds.spec?.slices;
  if (hasExternal && slices !== undefined && slices !== null && slices > 1) {
    errors.push({ type: 'FieldValueForbidden', field: 'spec.slices', badValue: '', detail: SLICES_WITH_EXTERNAL });
  }
  if (rules.generatedNames) errors.push(...validateGeneratedNames(ds));
  return { errors, warnings };
}

function validateRolloutStrategy(role: DisaggregatedRoleSpec, rolePath: string): FieldError[] {
  const errors: FieldError[] = [];
  const rolloutPath = `${rolePath}.spec.rolloutStrategy`;
  const strategy = role.spec?.rolloutStrategy;
  const type = strategy?.type ?? '';
  if (type !== '' && type !== RollingUpdateStrategyType) {
    errors.push({
      type: 'FieldValueNotSupported',
      field: `${rolloutPath}.type`,
      badValue: type,
      detail: `supported values: ${goQuote(RollingUpdateStrategyType)}, ${goQuote('')}`,
      // A named string type (RolloutStrategyType): apimachinery prints it with json.Marshal.
      jsonEncoded: true,
    });
  }
  const config = strategy?.rollingUpdateConfiguration;
  if (config) {
    const configPath = `${rolloutPath}.rollingUpdateConfiguration`;
    if (config.partition !== undefined && config.partition !== null && config.partition !== 0) {
      errors.push({
        type: 'FieldValueForbidden',
        field: `${configPath}.partition`,
        badValue: '',
        detail: PARTITION_FORBIDDEN,
      });
    }
    errors.push(...validateMaxSurgeUnavailable(config, role.spec?.replicas, configPath));
  }
  return errors;
}

function validateMaxSurgeUnavailable(
  config: { maxUnavailable?: IntOrString; maxSurge?: IntOrString },
  replicas: number | undefined | null,
  configPath: string,
): FieldError[] {
  if (replicas === undefined || replicas === null || replicas === 0) return [];
  // An absent IntOrString is Go's zero value, the integer 0.
  const maxUnavailable = config.maxUnavailable ?? 0;
  const maxSurge = config.maxSurge ?? 0;
  const unavailablePath = `${configPath}.maxUnavailable`;
  const surgePath = `${configPath}.maxSurge`;
  const errors = [
    ...validateIntOrPercent(maxUnavailable, unavailablePath),
    ...validateIntOrPercent(maxSurge, surgePath),
  ];
  if (errors.length > 0) return errors;
  // Both are valid by now, so scaling cannot fail.
  if (scaledValue(maxUnavailable, replicas, false) === 0 && scaledValue(maxSurge, replicas, true) === 0) {
    errors.push(invalid(unavailablePath, maxUnavailable, BOTH_ZERO, true));
  }
  return errors;
}

/** Upstream main #966 (`validateGeneratedNames`), appended to upstream's `validate`. */
function validateGeneratedNames(ds: DisaggregatedSet): FieldError[] {
  const slices = ds.spec?.slices ?? 1;
  // Go int32 arithmetic, then strconv.Itoa.
  const sliceDigits = String((slices - 1) | 0).length;
  const fixed = 3 + sliceDigits + RevisionLength + ServiceNameSuffix.length;
  const dsLength = goLen(ds.metadata?.name ?? '');
  const errors: FieldError[] = [];
  rolesOf(ds).forEach((role, i) => {
    const serviceLength = dsLength + fixed + goLen(role.name ?? '');
    if (serviceLength > DNS1035MaxLength) {
      errors.push(
        invalid(
          `spec.roles[${i}].name`,
          role.name ?? '',
          `the generated service name (${serviceLength} chars) would exceed the DNS-1035 limit of ${DNS1035MaxLength} characters; ` +
            `reduce the DisaggregatedSet name and/or role name (combined limit: ${DNS1035MaxLength - fixed} characters)`,
        ),
      );
    }
  });
  return errors;
}

function validatePlacement(ds: DisaggregatedSet): FieldError[] {
  const policy = ds.spec?.placementPolicy;
  const type = policy?.type ?? '';
  if (!policy || type === PlacementNone || type === '') return [];
  const errors: FieldError[] = [];
  if (!policy.topology) errors.push(required('spec.placementPolicy.topology', TOPOLOGY_REQUIRED));
  rolesOf(ds).forEach((role, i) => {
    const key = exclusiveTopologyAnnotation(role);
    if (key === undefined) return;
    errors.push({
      type: 'FieldValueForbidden',
      field: `spec.roles[${i}]`,
      badValue: '',
      detail: `the ${goQuote(key)} annotation must not be combined with a non-None spec.placementPolicy.type (${type})`,
    });
  });
  return errors;
}

/** The first LWS exclusive-placement annotation a role carries: role metadata, leader, then worker template. */
function exclusiveTopologyAnnotation(role: DisaggregatedRoleSpec): string | undefined {
  const template = role.spec?.leaderWorkerTemplate;
  for (const key of EXCLUSIVE_KEYS) {
    for (const annotations of [
      role.metadata?.annotations,
      template?.leaderTemplate?.metadata?.annotations,
      template?.workerTemplate?.metadata?.annotations,
    ]) {
      if (annotations && Object.hasOwn(annotations, key)) return key;
    }
  }
  return undefined;
}

// --- Ours: the child LeaderWorkerSets ---------------------------------------------------------------

/** A revision of the right length and alphabet: which one does not change any LWS webhook decision. */
const PLACEHOLDER_REVISION = '0'.repeat(RevisionLength);

/**
 * Each role's child LeaderWorkerSet as the controller creates it (the highest slice index, the role's
 * `spec.replicas` for a Static role and 0 for an External one, whose count comes from its scaler), through the
 * LeaderWorkerSet defaulting and validating webhooks. Their errors are reported at the role's own fields.
 */
function validateChildren(ds: DisaggregatedSet): FieldError[] {
  const errors: FieldError[] = [];
  const dsName = ds.metadata?.name ?? '';
  const slice = Math.max((ds.spec?.slices ?? 1) - 1, 0);
  rolesOf(ds).forEach((role, i) => {
    if (!role.spec?.leaderWorkerTemplate) return; // the CRD requires it; nothing to render
    const rolePath = `spec.roles[${i}]`;
    const child = renderLeaderWorkerSet({
      ds,
      role: role.name,
      slice,
      config: role,
      revision: PLACEHOLDER_REVISION,
      labels: generateLabels(dsName, slice, PLACEHOLDER_REVISION, role.name),
      replicas: isExternal(role) ? 0 : (role.spec.replicas ?? 1),
    }) as unknown as LeaderWorkerSet;
    // The apiserver's ObjectMeta validation of the child: the role's labels (merged with the system ones) and
    // annotations are copied onto it, but the DisaggregatedSet schema does not check them.
    errors.push(
      ...validateLabels(child.metadata.labels, `${rolePath}.metadata.labels`),
      ...validateAnnotationKeys(child.metadata.annotations, `${rolePath}.metadata.annotations`),
    );
    applyLwsSpecDefaults(child.spec);
    const lws = defaultLeaderWorkerSet(child);
    // Where upstream's LWS validator panics (a 500 refusal), say what is missing instead.
    const policy = lws.spec.leaderWorkerTemplate.subGroupPolicy;
    const subGroupPath = `${rolePath}.spec.leaderWorkerTemplate.subGroupPolicy.subGroupSize`;
    if (policy && (policy.subGroupSize === undefined || policy.subGroupSize === null)) {
      errors.push(required(subGroupPath, 'subGroupSize is required when subGroupPolicy is set'));
      delete lws.spec.leaderWorkerTemplate.subGroupPolicy;
    } else if (policy && policy.subGroupSize === 0) {
      errors.push(invalid(subGroupPath, 0, 'subGroupSize must be equal or greater than 1'));
      delete lws.spec.leaderWorkerTemplate.subGroupPolicy;
    }
    let childErrors: FieldError[];
    try {
      childErrors = validateLeaderWorkerSet(lws);
    } catch (e) {
      if (!(e instanceof GoPanic)) throw e;
      errors.push(invalid(`${rolePath}.spec`, '', `the LeaderWorkerSet webhook would fail on this role: ${e.message}`));
      return;
    }
    for (const e of childErrors) {
      if (e.field === 'metadata.name') {
        errors.push(...childNameErrors(ds, role, i));
        continue;
      }
      if (e.field.startsWith('metadata.namespace')) continue; // the DisaggregatedSet's own, already valid
      const field = e.field.startsWith('metadata.')
        ? `${rolePath}.${e.field}`
        : `${rolePath}.${e.field.replace('.SubGroupPolicy.', '.subGroupPolicy.')}`;
      errors.push({ ...e, field });
    }
  });
  return errors;
}

/** The child name `<ds>-<slice>-<revision>-<role>` must be a DNS-1035 label (the LWS names its Service after it). */
function childNameErrors(ds: DisaggregatedSet, role: DisaggregatedRoleSpec, i: number): FieldError[] {
  const dsName = ds.metadata?.name ?? '';
  const slice = Math.max((ds.spec?.slices ?? 1) - 1, 0);
  const name = `${dsName}-${slice}-${PLACEHOLDER_REVISION}-${role.name}`;
  const shown = `${dsName}-<slice>-<revision>-${role.name}`;
  return isDNS1035Label(name)
    .filter((msg) => !msg.startsWith('must be no more than')) // the length is #966's (generatedNames)
    .map((msg) =>
      invalid(
        `spec.roles[${i}].name`,
        role.name,
        `the generated LeaderWorkerSet name ${goQuote(shown)} must be a DNS-1035 label: ${msg}`,
      ),
    );
}
