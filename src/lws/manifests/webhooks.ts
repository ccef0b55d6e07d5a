/**
 * @module manifests/webhooks
 * The LWS admission webhook configurations, exactly as upstream registers them (names, paths, rules,
 * pod object selector), the DisaggregatedSet validating webhook included (upstream lists it in the same
 * ValidatingWebhookConfiguration). One renderer for every install path: `lwsctl run` (URL client config pointing at
 * a local process), the operator and the release manifests (a Service client config).
 */
import type { InjectionTarget } from '../../k8s/certs/ca-injector.ts';
import { MUTATING_WEBHOOK_CONFIGURATIONS, VALIDATING_WEBHOOK_CONFIGURATIONS } from '../../k8s/client/resources.ts';
import { GROUP, PLURAL, SET_NAME_LABEL, VERSION } from '../api/keys.ts';
import {
  DisaggregatedSetPlural,
  Group as DS_GROUP,
  ValidatingWebhookName as DS_WEBHOOK_NAME,
  ValidatingWebhookPath as DS_WEBHOOK_PATH,
  Version as DS_VERSION,
} from '../../disaggregatedset/api/keys.ts';

export const MUTATING_WEBHOOK_CONFIGURATION = 'lws-mutating-webhook-configuration';
export const VALIDATING_WEBHOOK_CONFIGURATION = 'lws-validating-webhook-configuration';

export const WEBHOOK_PATHS = {
  mutateLeaderWorkerSet: '/mutate-leaderworkerset-x-k8s-io-v1-leaderworkerset',
  validateLeaderWorkerSet: '/validate-leaderworkerset-x-k8s-io-v1-leaderworkerset',
  mutatePod: '/mutate--v1-pod',
  validatePod: '/validate--v1-pod',
  validateDisaggregatedSet: DS_WEBHOOK_PATH,
} as const;

/** Where the apiserver reaches the webhook server. */
export type WebhookTarget =
  | { url: string } // base URL, e.g. https://127.0.0.1:9443
  | { service: { name: string; namespace: string; port?: number } };

export interface WebhookConfigurationOptions {
  target: WebhookTarget;
  /** PEM CA bundle; omitted when something else injects it (cert-manager, the controller's rotator). */
  caBundlePem?: string;
  /** Labels added to both configurations (e.g. the operator's ownership labels). */
  labels?: Record<string, string>;
  /** Annotations added to both (e.g. cert-manager's inject-ca-from). */
  annotations?: Record<string, string>;
}

interface Rule {
  apiGroups: string[];
  apiVersions: string[];
  operations: string[];
  resources: string[];
}

function clientConfig(options: WebhookConfigurationOptions, path: string): Record<string, unknown> {
  const config: Record<string, unknown> =
    'url' in options.target
      ? { url: options.target.url.replace(/\/$/, '') + path }
      : { service: { ...options.target.service, path } };
  if (options.caBundlePem) config.caBundle = Buffer.from(options.caBundlePem).toString('base64');
  return config;
}

function webhook(options: WebhookConfigurationOptions, name: string, path: string, rule: Rule, podSelector: boolean) {
  return {
    name,
    admissionReviewVersions: ['v1'],
    clientConfig: clientConfig(options, path),
    failurePolicy: 'Fail',
    sideEffects: 'None',
    rules: [rule],
    ...(podSelector ? { objectSelector: { matchExpressions: [{ key: SET_NAME_LABEL, operator: 'Exists' }] } } : {}),
  };
}

const lwsRule: Rule = {
  apiGroups: [GROUP],
  apiVersions: [VERSION],
  operations: ['CREATE', 'UPDATE'],
  resources: [PLURAL],
};
// Upstream serves the DisaggregatedSet webhook from the same manager and lists it in the same configuration.
const disaggregatedSetRule: Rule = {
  apiGroups: [DS_GROUP],
  apiVersions: [DS_VERSION],
  operations: ['CREATE', 'UPDATE'],
  resources: [DisaggregatedSetPlural],
};
const podRule = (operations: string[]): Rule => ({
  apiGroups: [''],
  apiVersions: ['v1'],
  operations,
  resources: ['pods'],
});

function metadata(name: string, options: WebhookConfigurationOptions) {
  return {
    name,
    ...(options.labels ? { labels: options.labels } : {}),
    ...(options.annotations ? { annotations: options.annotations } : {}),
  };
}

export function mutatingWebhookConfiguration(options: WebhookConfigurationOptions) {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: metadata(MUTATING_WEBHOOK_CONFIGURATION, options),
    webhooks: [
      webhook(options, 'mleaderworkerset.kb.io', WEBHOOK_PATHS.mutateLeaderWorkerSet, lwsRule, false),
      webhook(options, 'mpod.kb.io', WEBHOOK_PATHS.mutatePod, podRule(['CREATE']), true),
    ],
  };
}

export function validatingWebhookConfiguration(options: WebhookConfigurationOptions) {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: metadata(VALIDATING_WEBHOOK_CONFIGURATION, options),
    webhooks: [
      webhook(options, 'vleaderworkerset.kb.io', WEBHOOK_PATHS.validateLeaderWorkerSet, lwsRule, false),
      webhook(options, 'vpod.kb.io', WEBHOOK_PATHS.validatePod, podRule(['CREATE', 'UPDATE']), true),
      webhook(options, DS_WEBHOOK_NAME, WEBHOOK_PATHS.validateDisaggregatedSet, disaggregatedSetRule, false),
    ],
  };
}

/** The webhook configurations whose caBundle the internal certificate rotator keeps current. */
export const LWS_WEBHOOK_CONFIGURATIONS: readonly InjectionTarget[] = [
  { ref: VALIDATING_WEBHOOK_CONFIGURATIONS, name: VALIDATING_WEBHOOK_CONFIGURATION },
  { ref: MUTATING_WEBHOOK_CONFIGURATIONS, name: MUTATING_WEBHOOK_CONFIGURATION },
];
