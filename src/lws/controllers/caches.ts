/**
 * @module controllers/caches
 * The shared, indexed caches both LWS controllers read. Everything but the LeaderWorkerSets themselves
 * is filtered on the server to objects carrying the LWS name label, so unrelated pods and StatefulSets
 * of the cluster are neither transferred nor kept in memory, and pods and StatefulSets are kept with only the
 * fields the controllers read (cache-transforms.ts).
 */
import { GROUP_INDEX_LABEL, SET_NAME_LABEL } from '../api/keys.ts';
import type { LeaderWorkerSet } from '../api/types.ts';
import type { ControllerRevision, KubeObject, Pod, Service, StatefulSet } from '../../k8s/client/objects.ts';
import { CONTROLLER_REVISIONS, PODS, SERVICES, STATEFULSETS } from '../../k8s/client/resources.ts';
import { LEADERWORKERSETS } from '../api/resources.ts';
import type { Informer } from '../../k8s/runtime/informer.ts';
import type { InformerFactory } from '../../k8s/runtime/informer-factory.ts';
import { slimPod, slimStatefulSet } from './cache-transforms.ts';

/** Index of objects by "<namespace>/<lws name>". */
export const BY_SET = 'bySet';
/** Index of pods by "<namespace>/<lws name>/<group index>". */
export const BY_GROUP = 'byGroup';

const setKey = (o: KubeObject) => {
  const name = o.metadata.labels?.[SET_NAME_LABEL];
  return name === undefined ? [] : [`${o.metadata.namespace}/${name}`];
};
const groupKey = (o: KubeObject) => {
  const name = o.metadata.labels?.[SET_NAME_LABEL];
  const group = o.metadata.labels?.[GROUP_INDEX_LABEL];
  return name === undefined || group === undefined ? [] : [`${o.metadata.namespace}/${name}/${group}`];
};

export interface Caches {
  leaderWorkerSets: Informer<LeaderWorkerSet & KubeObject>;
  statefulSets: Informer<StatefulSet>;
  pods: Informer<Pod>;
  services: Informer<Service>;
  revisions: Informer<ControllerRevision>;
}

export function createCaches(factory: InformerFactory, namespace?: string): Caches {
  const labelSelector = SET_NAME_LABEL; // "has the label"
  const scope = { namespace, labelSelector };
  return {
    leaderWorkerSets: factory.informerFor<LeaderWorkerSet & KubeObject>(LEADERWORKERSETS, { namespace }),
    statefulSets: factory.informerFor<StatefulSet>(STATEFULSETS, {
      ...scope,
      indexers: { [BY_SET]: setKey },
      transform: slimStatefulSet,
    }),
    pods: factory.informerFor<Pod>(PODS, {
      ...scope,
      indexers: { [BY_SET]: setKey, [BY_GROUP]: groupKey },
      transform: slimPod,
    }),
    services: factory.informerFor<Service>(SERVICES, { ...scope, indexers: { [BY_SET]: setKey } }),
    revisions: factory.informerFor<ControllerRevision>(CONTROLLER_REVISIONS, {
      ...scope,
      indexers: { [BY_SET]: setKey },
    }),
  };
}

export const setIndexValue = (namespace: string, lwsName: string) => `${namespace}/${lwsName}`;
export const groupIndexValue = (namespace: string, lwsName: string, group: string | number) =>
  `${namespace}/${lwsName}/${group}`;
