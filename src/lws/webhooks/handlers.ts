/**
 * @module admission/lws-handlers
 * Binds the pure admission logic (src/webhooks) to the four webhook paths upstream serves, answering
 * the way controller-runtime does: a returned error is a 403 denial with the error's text, a (Go) panic
 * is a 500 "panic: … [recovered]".
 */
import type { LeaderWorkerSet } from '../api/types.ts';
import type { Pod } from '../../k8s/client/objects.ts';
import { WEBHOOK_PATHS } from '../manifests/webhooks.ts';
import { AdmissionError, GoPanic, recoveredPanicMessage } from '../../k8s/admission/errors.ts';
import { formatFieldErrors } from '../../k8s/validation/field-errors.ts';
import { jsonPatch } from '../../k8s/admission/json-patch.ts';
import { lwsDefaultingPatch } from './lws-defaulting-patch.ts';
import { validateLeaderWorkerSet } from './lws-validation.ts';
import { mutatePod, type PodMutationOptions } from './pod-mutation.ts';
import { injectPodGroupMetadata, type GangSchedulerProvider } from '../core/gang-scheduling.ts';
import {
  allow,
  deny,
  errored,
  type AdmissionDecision,
  type AdmissionHandler,
  type AdmissionRequest,
} from '../../k8s/admission/review.ts';

function guarded(decide: (request: AdmissionRequest) => AdmissionDecision): AdmissionHandler {
  return (request) => {
    try {
      return decide(request);
    } catch (e) {
      if (e instanceof AdmissionError) return deny({ code: 403, reason: 'Forbidden', message: e.message });
      if (e instanceof GoPanic) return errored(500, recoveredPanicMessage(e));
      throw e;
    }
  };
}

function objectOf<T>(request: AdmissionRequest): T {
  if (!request.object || typeof request.object !== 'object') {
    throw new AdmissionError('there is no content to decode');
  }
  return request.object as T;
}

export const mutateLeaderWorkerSet = guarded((request) => {
  const lws = objectOf<LeaderWorkerSet>(request);
  return allow(lwsDefaultingPatch(lws));
});

export const validateLeaderWorkerSetRequest = guarded((request) => {
  if (request.operation === 'DELETE') return allow();
  const lws = objectOf<LeaderWorkerSet>(request);
  const old = request.operation === 'UPDATE' ? (request.oldObject as LeaderWorkerSet) : undefined;
  const errors = validateLeaderWorkerSet(lws, old);
  return errors.length === 0 ? allow() : deny({ code: 403, reason: 'Forbidden', message: formatFieldErrors(errors) });
});

/** The pod mutation, with the gang-scheduling step of `provider` when one is configured. */
export function podMutationHandler(provider?: GangSchedulerProvider): AdmissionHandler {
  const options: PodMutationOptions = provider
    ? { injectPodGroupMetadata: (pod) => injectPodGroupMetadata(provider, pod) }
    : {};
  return guarded((request) => {
    const pod = objectOf<Pod>(request);
    const input =
      pod.metadata?.namespace || !request.namespace
        ? pod
        : { ...pod, metadata: { ...pod.metadata, namespace: request.namespace } };
    const mutated = mutatePod(input, options);
    return mutated === input ? allow() : allow(jsonPatch(pod, mutated));
  });
}

export const mutatePodRequest = podMutationHandler();

/** Upstream registers a pod validator that accepts everything; kept for identical registrations. */
export const validatePodRequest: AdmissionHandler = () => allow();

/** The four handlers by path; `gangScheduling` adds the provider's pod metadata (upstream's NewPodWebhook(sp)). */
export function lwsWebhookHandlersFor(options: { gangScheduling?: GangSchedulerProvider } = {}) {
  return {
    [WEBHOOK_PATHS.mutateLeaderWorkerSet]: mutateLeaderWorkerSet,
    [WEBHOOK_PATHS.validateLeaderWorkerSet]: validateLeaderWorkerSetRequest,
    [WEBHOOK_PATHS.mutatePod]: options.gangScheduling ? podMutationHandler(options.gangScheduling) : mutatePodRequest,
    [WEBHOOK_PATHS.validatePod]: validatePodRequest,
  } as Record<string, AdmissionHandler>;
}

export const lwsWebhookHandlers: Record<string, AdmissionHandler> = lwsWebhookHandlersFor();
