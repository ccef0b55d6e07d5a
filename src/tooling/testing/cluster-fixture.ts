/**
 * @module testing/cluster-fixture
 * One real local cluster per test run. The test runner's global setup brings it up (or reuses the
 * cluster named by LWS_TEST_KUBECONFIG) and publishes its kubeconfig to every test file through the
 * environment; the global teardown always brings it down.
 */
import { randomBytes } from 'node:crypto';
import { clusterDown, clusterUp } from '../cluster/cluster.ts';
import { readState } from '../cluster/state.ts';
import { startController, stopController } from './controller-process.ts';
import { kubectlFor, type Kubectl } from './kubectl.ts';

/** One test run per cluster name at a time; LWS_TEST_CLUSTER lets parallel runs use different clusters. */
export const TEST_CLUSTER_NAME = process.env.LWS_TEST_CLUSTER || 'lws-test';
const KUBECONFIG_ENV = 'LWS_TEST_KUBECONFIG';
const OWNED_ENV = 'LWS_TEST_CLUSTER_OWNED';

export async function setUpTestCluster(): Promise<void> {
  if (process.env[KUBECONFIG_ENV]) return; // an externally managed cluster
  if (await readState(TEST_CLUSTER_NAME)) {
    // Left over by a killed run: only one test run may use the test cluster at a time.
    await clusterDown(TEST_CLUSTER_NAME, { log: () => {} });
  }
  const state = await clusterUp({ name: TEST_CLUSTER_NAME, log: (l) => process.stderr.write(`# ${l}\n`) });
  process.env[KUBECONFIG_ENV] = state.kubeconfig;
  process.env[OWNED_ENV] = '1';
  // The controller runs exactly as a user runs it: `lwsctl run` in its own process.
  await startController(state.kubeconfig, `${state.dir}/logs/lwsctl-run.log`);
}

export async function tearDownTestCluster(): Promise<void> {
  await stopController();
  if (process.env[OWNED_ENV]) await clusterDown(TEST_CLUSTER_NAME, { log: () => {} });
}

/** The kubeconfig of the run's cluster; fails clearly when a test file is run without the global setup. */
export function testKubeconfig(): string {
  const path = process.env[KUBECONFIG_ENV];
  if (!path) {
    throw new Error(
      `${KUBECONFIG_ENV} is not set: run cluster tests with "npm run test:cluster" (or set it to a cluster's kubeconfig)`,
    );
  }
  return path;
}

/** A fresh namespace for one test, deleted afterwards (even when the test fails). */
export async function withNamespace<T>(
  prefix: string,
  body: (namespace: string, kubectl: Kubectl) => Promise<T>,
): Promise<T> {
  const kubectl = kubectlFor(testKubeconfig());
  const namespace = `${prefix}-${randomBytes(3).toString('hex')}`;
  await kubectl('create', 'namespace', namespace);
  try {
    return await body(namespace, kubectl);
  } finally {
    await kubectl('delete', 'namespace', namespace, '--wait=false').catch(() => {});
  }
}
