/**
 * @module webhooks/lws-validation
 * The LeaderWorkerSet validating webhook (`vleaderworkerset.kb.io`): upstream's `ValidateCreate` and
 * `ValidateUpdate`, with the same checks, order, field paths (including the capitalised
 * `SubGroupPolicy` segment), messages, and the same Go panics on missing fields (see errors.ts).
 * Expects the object after CRD and webhook defaulting, as the apiserver delivers it.
 */
import type { IntOrString, LeaderWorkerSet } from '../api/types.ts';
import { SUBGROUP_EXCLUSIVE_KEY_ANNOTATION } from '../api/keys.ts';
import { deref, goRem } from '../../k8s/admission/errors.ts';
import { invalid, type FieldError } from '../../k8s/validation/field-errors.ts';
import { isValidPercent, percentValue, scaledValue } from '../../k8s/go/intstr.ts';
import { isDNS1035Label, validateObjectMeta } from '../../k8s/validation/object-meta.ts';

const MAX_INT32 = 2147483647;
const SUBGROUP_SIZE_PATH = 'spec.leaderWorkerTemplate.SubGroupPolicy.subGroupSize';
const ROLLING_PATH = 'spec.rolloutStrategy.rollingUpdateConfiguration';
const NEGATIVE = 'must be greater than or equal to 0';
export const FIELD_IMMUTABLE = 'field is immutable';

// Go wraps int32 arithmetic.
const int32 = (n: number) => n | 0;

/** Errors for `lws` on create, or on update when `old` (the stored object) is given. Throws GoPanic. */
export function validateLeaderWorkerSet(lws: LeaderWorkerSet, old?: LeaderWorkerSet): FieldError[] {
  const errs = generalValidate(lws);
  if (old) errs.push(...validateUpdate(lws, old));
  return errs;
}

function generalValidate(lws: LeaderWorkerSet): FieldError[] {
  // The LWS name names the headless Service, hence DNS-1035.
  const errs = validateObjectMeta(lws.metadata, true, isDNS1035Label);
  const spec = lws.spec;
  const template = spec.leaderWorkerTemplate;
  if (spec.replicas !== undefined && spec.replicas !== null) {
    if (spec.replicas < 0)
      errs.push(invalid('spec.replicas', spec.replicas, 'replicas must be equal or greater than 0'));
    if (spec.replicas > 1000000) {
      errs.push(invalid('spec.replicas', spec.replicas, 'replicas must be equal or less than 1000000'));
    }
  }
  const size = deref(template.size);
  if (size < 1) errs.push(invalid('spec.leaderWorkerTemplate.size', size, 'size must be equal or greater than 1'));
  const replicas = deref(spec.replicas);
  if (replicas * size > MAX_INT32) {
    errs.push(
      invalid('spec.replicas', replicas, `the product of replicas and worker replicas must not exceed ${MAX_INT32}`),
    );
  }

  const config = deref(spec.rolloutStrategy?.rollingUpdateConfiguration);
  // An absent IntOrString is Go's zero value, the integer 0.
  const maxUnavailable = config.maxUnavailable ?? 0;
  const maxSurge = config.maxSurge ?? 0;
  const maxUnavailablePath = `${ROLLING_PATH}.maxUnavailable`;
  const maxSurgePath = `${ROLLING_PATH}.maxSurge`;
  errs.push(...validateIntOrPercent(maxUnavailable, maxUnavailablePath));
  errs.push(...validateIntOrPercent(maxSurge, maxSurgePath));
  const partition = deref(config.partition);
  if (partition < 0) errs.push(invalid(`${ROLLING_PATH}.partition`, partition, NEGATIVE));

  const maxUnavailableValue = scaledOrError(maxUnavailable, replicas, false, maxUnavailablePath, errs);
  const maxSurgeValue = scaledOrError(maxSurge, replicas, true, maxSurgePath, errs);
  if (maxUnavailableValue === 0 && maxSurgeValue === 0 && replicas !== 0) {
    errs.push(invalid(maxUnavailablePath, maxUnavailable, 'must not be 0 when `maxSurge` is 0', true));
  }

  if (template.subGroupPolicy) errs.push(...validateSubGroupPolicy(lws));
  else {
    const annotations = lws.metadata.annotations ?? {};
    if (SUBGROUP_EXCLUSIVE_KEY_ANNOTATION in annotations) {
      errs.push(
        invalid(
          `metadata.annotations.${SUBGROUP_EXCLUSIVE_KEY_ANNOTATION}`,
          annotations[SUBGROUP_EXCLUSIVE_KEY_ANNOTATION],
          'cannot have subgroup-exclusive-topology without subGroupSize set',
        ),
      );
    }
  }
  return errs;
}

/**
 * Upstream's ValidatePositiveIntOrPercent followed by IsNotMoreThan100Percent (pkg/webhooks, also called by the
 * DisaggregatedSet webhook).
 */
export function validateIntOrPercent(value: IntOrString, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof value === 'string') {
    for (const msg of isValidPercent(value)) errs.push(invalid(path, value, msg, true));
  } else if (value < 0) {
    errs.push(invalid(path, value, NEGATIVE));
  }
  const percent = percentValue(value);
  if (percent !== undefined && percent > 100) errs.push(invalid(path, value, 'must not be greater than 100%', true));
  return errs;
}

function scaledOrError(value: IntOrString, total: number, roundUp: boolean, path: string, errs: FieldError[]): number {
  try {
    return scaledValue(value, total, roundUp);
  } catch {
    errs.push(invalid(path, value, 'invalid value', true));
    return 0;
  }
}

function validateSubGroupPolicy(lws: LeaderWorkerSet): FieldError[] {
  const errs: FieldError[] = [];
  const template = lws.spec.leaderWorkerTemplate;
  const policy = template.subGroupPolicy!;
  const size = int32(deref(template.size));
  const subGroupSize = int32(deref(policy.subGroupSize));
  const fail = (detail: string) => errs.push(invalid(SUBGROUP_SIZE_PATH, subGroupSize, detail));
  if (subGroupSize < 1) fail('subGroupSize must be equal or greater than 1');
  if (goRem(size, subGroupSize) !== 0 && goRem(int32(size - 1), subGroupSize) !== 0) {
    fail('size or size - 1 must be divisible by subGroupSize');
  }
  if (size < subGroupSize) fail('subGroupSize cannot be larger than size');
  if (policy.subGroupPolicyType === 'LeaderExcluded' && goRem(int32(size - 1), subGroupSize) !== 0) {
    fail('size-1 must be divisible by subGroupSize when using LeaderExcluded');
  }
  return errs;
}

function validateUpdate(lws: LeaderWorkerSet, old: LeaderWorkerSet): FieldError[] {
  const errs: FieldError[] = [];
  const policy = lws.spec.leaderWorkerTemplate.subGroupPolicy;
  const oldPolicy = old.spec.leaderWorkerTemplate.subGroupPolicy;
  if (policy && oldPolicy) {
    const now = deref(policy.subGroupSize);
    if (now !== deref(oldPolicy.subGroupSize)) errs.push(invalid(SUBGROUP_SIZE_PATH, now, FIELD_IMMUTABLE));
  }
  if (policy && !oldPolicy) {
    errs.push(
      invalid(SUBGROUP_SIZE_PATH, policy.subGroupSize, 'cannot enable subGroupSize after the lws is already created'),
    );
  }
  if (!policy && oldPolicy) {
    errs.push(invalid(SUBGROUP_SIZE_PATH, oldPolicy.subGroupSize, 'cannot remove subGroupSize after enabled'));
  }
  const network = lws.spec.networkConfig;
  if (network && !network.subdomainPolicy) {
    const oldPolicyValue = deref(old.spec.networkConfig).subdomainPolicy;
    errs.push(
      invalid('spec.networkConfig.subdomainPolicy', oldPolicyValue, 'cannot set subdomainPolicy as null', true),
    );
  }
  return errs;
}
