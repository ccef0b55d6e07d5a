/**
 * @module lws/api/resources
 * The LeaderWorkerSet resource for the generic client.
 */
import { defineResource } from '../../k8s/client/resources.ts';
import { GROUP, KIND, PLURAL, VERSION } from './keys.ts';

export const LEADERWORKERSETS = defineResource(GROUP, VERSION, PLURAL, KIND, true);
