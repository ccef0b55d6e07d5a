// Global setup of the cluster test tier: one real control plane for the whole run.
import { setUpTestCluster, tearDownTestCluster } from '../../src/tooling/testing/cluster-fixture.ts';

export async function globalSetup(): Promise<void> {
  await setUpTestCluster();
}

export async function globalTeardown(): Promise<void> {
  await tearDownTestCluster();
}
