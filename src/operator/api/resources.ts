/**
 * @module operator/api/resources
 * The LeaderWorkerSetOperator resource for the generic client.
 */
import { defineResource } from '../../k8s/client/resources.ts';

export const LEADERWORKERSET_OPERATORS = defineResource(
  'operator.openshift.io',
  'v1',
  'leaderworkersetoperators',
  'LeaderWorkerSetOperator',
  false,
);
