#!/usr/bin/env node
// Shell completion of `kubectl lws …`: kubectl ≥ 1.26 runs `kubectl_complete-lws ARGS… WORD` from PATH and
// expects cobra's __complete output. Needs Node 24 LTS like lwsctl.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) process.exit(1);
const { run } = await import('../src/cli/kubectl-lws/main.ts');
await run(['__complete', ...process.argv.slice(2)]);
