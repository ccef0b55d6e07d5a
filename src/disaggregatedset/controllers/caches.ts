/**
 * @module disaggregatedset/controllers/caches
 * The caches the DisaggregatedSet controller reads: the sets themselves, every LeaderWorkerSet (the informer
 * the LWS controller already runs, shared through the factory), the Services carrying the DisaggregatedSet name
 * label (filtered on the server) and the RoleScalers. Children are indexed by "<namespace>/<set name>".
 */
import type { KubeObject, Service } from '../../k8s/client/objects.ts';
import { SERVICES } from '../../k8s/client/resources.ts';
import type { Informer } from '../../k8s/runtime/informer.ts';
import type { InformerFactory } from '../../k8s/runtime/informer-factory.ts';
import { LEADERWORKERSETS } from '../../lws/api/resources.ts';
import { SetNameLabelKey } from '../api/keys.ts';
import { DISAGGREGATEDSETS, ROLE_SCALERS } from '../api/resources.ts';
import type { DisaggregatedSet, DisaggregatedSetRoleScaler, LeaderWorkerSetLike } from '../api/types.ts';

/** Index of children by "<namespace>/<DisaggregatedSet name>" (the name label). */
export const BY_DS = 'byDisaggregatedSet';

export type DsObject = DisaggregatedSet & KubeObject;
export type LwsObject = LeaderWorkerSetLike & KubeObject;
export type ScalerObject = DisaggregatedSetRoleScaler & KubeObject;

export interface DsCaches {
  sets: Informer<DsObject>;
  leaderWorkerSets: Informer<LwsObject>;
  services: Informer<Service>;
  scalers: Informer<ScalerObject>;
}

export const dsIndexValue = (namespace: string, name: string) => `${namespace}/${name}`;
const dsKey = (o: KubeObject) => {
  const name = o.metadata.labels?.[SetNameLabelKey];
  return name === undefined ? [] : [dsIndexValue(o.metadata.namespace ?? '', name)];
};

export function createDsCaches(factory: InformerFactory, namespace?: string): DsCaches {
  return {
    sets: factory.informerFor<DsObject>(DISAGGREGATEDSETS, { namespace }),
    leaderWorkerSets: factory.informerFor<LwsObject>(LEADERWORKERSETS, { namespace, indexers: { [BY_DS]: dsKey } }),
    services: factory.informerFor<Service>(SERVICES, {
      namespace,
      labelSelector: SetNameLabelKey,
      indexers: { [BY_DS]: dsKey },
    }),
    scalers: factory.informerFor<ScalerObject>(ROLE_SCALERS, { namespace, indexers: { [BY_DS]: dsKey } }),
  };
}
