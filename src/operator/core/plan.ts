/**
 * @module operator/plan
 * What the operator should do for the `LeaderWorkerSetOperator` instance, as a pure function of the object and
 * what the operator found out about the cluster (discovery) and itself (its flags and environment):
 *
 * - `ignore`    — not the singleton (the CRD's CEL rule rejects other names; an older CRD may not);
 * - `unmanaged` — `Unmanaged`: touch nothing, leave everything running;
 * - `remove`    — `Removed`, or the instance is being deleted: remove the operand, keep the LWS CRD and every
 *                 user object;
 * - `degraded`  — the operand cannot be rendered (no image, cert-manager required but absent, bad spec);
 * - `apply`     — the objects to reconcile, in order, each carrying the ownership markers.
 */
import {
  CONDITION_REASONS,
  DEFAULT_OPERATOR_NAMESPACE,
  OPERAND_IMAGE_ENV,
  OPERATOR_API_VERSION,
  OPERATOR_INSTANCE_NAME,
  OPERATOR_KIND,
  type LeaderWorkerSetOperator,
} from '../api/types.ts';
import {
  compileOperandOptions,
  OperandOptionsError,
  renderOperand,
  type CertificateMode,
  type OperandObject,
} from './operand.ts';

/** Every object the operator creates carries this label (informer selectors, safe removal). */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'lws-operator';
/** Runs the operand clean-up before the instance goes away (deleting it behaves like `Removed`). */
export const OPERATOR_FINALIZER = 'operator.openshift.io/lws-operand-cleanup';
/** The message upstream's operator reports when cert-manager is required but missing. */
export const CERT_MANAGER_MISSING_MESSAGE = 'please make sure that cert-manager is installed on your cluster';

/** `--certificates`: who issues the webhook certificate. `auto` uses cert-manager when it is installed. */
export type CertificatePolicy = 'auto' | CertificateMode;
export const CERTIFICATE_POLICIES: readonly CertificatePolicy[] = ['auto', 'cert-manager', 'internal'];

/** What the operator knows besides the instance. */
export interface OperatorFacts {
  namespace: string;
  /** RELATED_IMAGE_OPERAND_IMAGE (or --operand-image). */
  operandImage: string | undefined;
  certificates: CertificatePolicy;
  /** Discovery lists cert-manager.io/v1 Issuer and Certificate. */
  certManagerInstalled: boolean;
  /** Discovery lists monitoring.coreos.com/v1 ServiceMonitor. */
  serviceMonitorInstalled: boolean;
  /** Operand Deployment command; default upstream's `/manager`. */
  operandCommand?: readonly string[];
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
}

export type OperatorPlan =
  | { action: 'ignore'; reason: string }
  | { action: 'unmanaged' }
  | { action: 'remove'; why: 'Removed' | 'Deleted' }
  | { action: 'degraded'; reason: string; message: string }
  | {
      action: 'apply';
      mode: CertificateMode;
      serviceMonitor: boolean;
      objects: OperandObject[];
      /** In cert-manager mode: the Secrets cert-manager must fill before webhooks and the Deployment. */
      waitForSecrets?: string[];
    };

/** The effective management state; `Force` and empty mean Managed (upstream treats Force as a no-op). */
export function managementStateOf(cr: LeaderWorkerSetOperator): 'Managed' | 'Unmanaged' | 'Removed' {
  const state = cr.spec?.managementState;
  if (state === 'Unmanaged' || state === 'Removed') return state;
  return 'Managed';
}

export function certificateModeFor(
  facts: Pick<OperatorFacts, 'certificates' | 'certManagerInstalled'>,
): CertificateMode | 'missing' {
  if (facts.certificates === 'internal') return 'internal';
  if (facts.certificates === 'cert-manager') return facts.certManagerInstalled ? 'cert-manager' : 'missing';
  return facts.certManagerInstalled ? 'cert-manager' : 'internal';
}

export function planOperand(cr: LeaderWorkerSetOperator, facts: OperatorFacts): OperatorPlan {
  if (cr.metadata.name !== OPERATOR_INSTANCE_NAME) {
    return { action: 'ignore', reason: `only the instance named "${OPERATOR_INSTANCE_NAME}" is reconciled` };
  }
  if (cr.metadata.deletionTimestamp) return { action: 'remove', why: 'Deleted' };
  const state = managementStateOf(cr);
  if (state === 'Unmanaged') return { action: 'unmanaged' };
  if (state === 'Removed') return { action: 'remove', why: 'Removed' };

  if (!facts.operandImage?.trim()) {
    return {
      action: 'degraded',
      reason: CONDITION_REASONS.missingOperandImage,
      message: `the operand image is not set: set the environment variable ${OPERAND_IMAGE_ENV} of the operator`,
    };
  }
  const mode = certificateModeFor(facts);
  if (mode === 'missing') {
    return { action: 'degraded', reason: CONDITION_REASONS.missingDependency, message: CERT_MANAGER_MISSING_MESSAGE };
  }
  let compiled;
  try {
    compiled = compileOperandOptions({
      image: facts.operandImage,
      namespace: facts.namespace || DEFAULT_OPERATOR_NAMESPACE,
      logLevel: cr.spec.logLevel || 'Normal',
      nodePlacement: cr.spec.nodePlacement,
      certificates: mode,
      serviceMonitor: facts.serviceMonitorInstalled,
      ...(facts.operandCommand ? { command: facts.operandCommand } : {}),
      ...(facts.imagePullPolicy ? { imagePullPolicy: facts.imagePullPolicy } : {}),
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
    });
  } catch (e) {
    if (!(e instanceof OperandOptionsError)) throw e;
    // Field names as the user wrote them: spec.logLevel, spec.nodePlacement…
    const problems = e.problems.map((p) => (p.startsWith('image') ? p : `spec.${p}`));
    return { action: 'degraded', reason: CONDITION_REASONS.invalidSpec, message: problems.join('; ') };
  }
  const objects = renderOperand(compiled).map((o) => withOwner(o, cr));
  return {
    action: 'apply',
    mode,
    serviceMonitor: facts.serviceMonitorInstalled,
    objects,
    ...(mode === 'cert-manager' ? { waitForSecrets: secretsOfCertificates(objects) } : {}),
  };
}

function secretsOfCertificates(objects: OperandObject[]): string[] {
  return objects.filter((o) => o.kind === 'Certificate').map((o) => (o.spec as { secretName: string }).secretName);
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
}

/**
 * Adds the owner reference to the instance — except on CustomResourceDefinitions: garbage collection must
 * never take the LWS CRD (and with it every LeaderWorkerSet) away when the instance is deleted.
 */
export function withOwner(object: OperandObject, cr: LeaderWorkerSetOperator): OperandObject {
  if (object.kind === 'CustomResourceDefinition' || !cr.metadata.uid) return object;
  const owner: OwnerReference = {
    apiVersion: OPERATOR_API_VERSION,
    kind: OPERATOR_KIND,
    name: cr.metadata.name,
    uid: cr.metadata.uid,
  };
  return { ...object, metadata: { ...object.metadata, ownerReferences: [owner] } } as OperandObject;
}

/** True for objects this operator created: our label or an owner reference to a LeaderWorkerSetOperator. */
export function isOperatorOwned(object: {
  metadata?: { labels?: Record<string, string>; ownerReferences?: Array<{ apiVersion?: string; kind?: string }> };
}): boolean {
  if (object.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE) return true;
  return (object.metadata?.ownerReferences ?? []).some(
    (r) => r.kind === OPERATOR_KIND && r.apiVersion?.startsWith('operator.openshift.io/'),
  );
}
