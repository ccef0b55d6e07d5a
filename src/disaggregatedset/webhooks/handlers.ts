/**
 * @module disaggregatedset/webhooks/handlers
 * The DisaggregatedSet validating webhook at upstream's path, answering as controller-runtime's
 * `admission.WithValidator` does: a returned error is a 403 denial with the error's text, warnings go with the
 * response whether it allows or denies, DELETE is allowed.
 */
import type { DisaggregatedSet } from '../api/types.ts';
import { ValidatingWebhookPath } from '../api/keys.ts';
import { formatFieldErrors } from '../../k8s/validation/field-errors.ts';
import type { AdmissionDecision, AdmissionHandler, AdmissionRequest } from '../../k8s/admission/review.ts';
import { OUR_RULES, validateDisaggregatedSet, type DisaggregatedSetRules } from './validation.ts';

/** The handler with a given rule set (`UPSTREAM_V0_10_0` in the differential tests, `OUR_RULES` when serving). */
export function disaggregatedSetValidator(rules: DisaggregatedSetRules): AdmissionHandler {
  return (request: AdmissionRequest): AdmissionDecision => {
    if (request.operation === 'DELETE') return { allowed: true };
    if (!request.object || typeof request.object !== 'object') {
      return { allowed: false, status: { code: 400, message: 'there is no content to decode' } };
    }
    const old = request.operation === 'UPDATE' ? (request.oldObject as DisaggregatedSet) : undefined;
    const { errors, warnings } = validateDisaggregatedSet(request.object as DisaggregatedSet, old, rules);
    const extra = warnings.length > 0 ? { warnings } : {};
    if (errors.length === 0) return { allowed: true, ...extra };
    return { allowed: false, status: { code: 403, reason: 'Forbidden', message: formatFieldErrors(errors) }, ...extra };
  };
}

export const validateDisaggregatedSetRequest = disaggregatedSetValidator(OUR_RULES);

export const disaggregatedSetWebhookHandlers: Record<string, AdmissionHandler> = {
  [ValidatingWebhookPath]: validateDisaggregatedSetRequest,
};
