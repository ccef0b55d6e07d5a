/**
 * @module disaggregatedset/core/planner
 * The coordinated N-role rolling-update planner (upstream pkg/controllers/disaggregatedset/planner.go).
 *
 * The controller is stateless: from the replica counts it observes it derives which "step" of a
 * linear interpolation the rollout is at, and computes the next step only:
 *
 *     new(i) = ceil(i * target / totalSteps)                        (0 -> target)
 *     old(i) = initialOld - floor(i * initialOld / totalSteps)      (initialOld -> 0)
 *
 * Each step changes either the old or the new revision, never both (except the force-drain path),
 * keeps `old + new <= target + maxSurge` per role, and keeps all roles at a common step.
 * Arithmetic mirrors Go: float64 products/divisions, `int()` truncation, math.Ceil/Floor.
 * Vectors are indexed by role position (spec roles first, then removed roles).
 */

export interface UpdateStep {
  /** Desired total old-revision replicas per role. */
  past: number[];
  /** Desired new-revision replicas per role. */
  new: number[];
}

export type RoleReplicaState = number[];

export interface RollingUpdateConfig {
  maxSurge: number;
  maxUnavailable: number;
}

/** maxSurge 1, maxUnavailable 0 for every role. */
export function defaultRollingUpdateConfig(numRoles: number): RollingUpdateConfig[] {
  return Array.from({ length: numRoles }, () => ({ maxSurge: 1, maxUnavailable: 0 }));
}

const goInt = (x: number): number => Math.trunc(x);

/** Per-role batch: maxSurge if positive, else max(1, maxUnavailable). */
export function batchSize(maxSurge: number, maxUnavailable: number): number {
  if (maxSurge > 0) return maxSurge;
  return Math.max(1, maxUnavailable);
}

/** max over roles of ceil(max(initialOld, target, 0) / batchSize). */
export function computeTotalSteps(
  initialOld: RoleReplicaState,
  target: RoleReplicaState,
  config: readonly RollingUpdateConfig[],
): number {
  let totalSteps = 0;
  for (let i = 0; i < initialOld.length; i++) {
    const maxReplicas = Math.max(initialOld[i]!, target[i]!, 0);
    const roleBatch = batchSize(config[i]!.maxSurge, config[i]!.maxUnavailable);
    const roleSteps = goInt((maxReplicas + roleBatch - 1) / roleBatch);
    totalSteps = Math.max(totalSteps, roleSteps);
  }
  return totalSteps;
}

export function computeNextNewReplicas(
  target: RoleReplicaState,
  currentNew: RoleReplicaState,
  totalSteps: number,
): RoleReplicaState {
  if (totalSteps === 0) return [...target];
  const stepIndex = (current: number, targetVal: number): number =>
    targetVal === 0 ? totalSteps : goInt((current * totalSteps) / targetVal);
  let minStepIdx = totalSteps;
  for (let i = 0; i < target.length; i++) minStepIdx = Math.min(minStepIdx, stepIndex(currentNew[i]!, target[i]!));
  const nextStepIdx = minStepIdx + 1;
  return target.map((targetVal, i) => {
    const progress = (nextStepIdx * targetVal) / totalSteps;
    const computed = Math.min(goInt(Math.ceil(progress)), targetVal);
    return Math.max(computed, currentNew[i]!);
  });
}

export function computeNextOldReplicas(
  initialOld: RoleReplicaState,
  currentOld: RoleReplicaState,
  totalSteps: number,
): RoleReplicaState {
  if (totalSteps === 0) return initialOld.map(() => 0);
  const stepIndex = (removed: number, sourceVal: number): number =>
    sourceVal === 0 ? 0 : goInt((removed * totalSteps) / sourceVal);
  let maxStepIdx = 0;
  for (let i = 0; i < initialOld.length; i++) {
    if (initialOld[i] === 0) continue;
    const removed = initialOld[i]! - currentOld[i]!;
    maxStepIdx = Math.max(maxStepIdx, stepIndex(removed, initialOld[i]!));
  }
  const nextStepIdx = maxStepIdx + 1;
  return initialOld.map((sourceVal, i) => {
    const progress = (nextStepIdx * sourceVal) / totalSteps;
    const computed = Math.max(0, sourceVal - goInt(Math.floor(progress)));
    return Math.min(computed, currentOld[i]!);
  });
}

/** If any role has more old replicas than it started with, clamp old to initialOld (new unchanged). */
export function correctAbnormalState(
  currentOld: RoleReplicaState,
  currentNew: RoleReplicaState,
  initialOld: RoleReplicaState,
): UpdateStep | undefined {
  let needsCorrection = false;
  const expectedOld = initialOld.map((init, i) => {
    const v = Math.min(init, currentOld[i]!);
    if (currentOld[i]! > v) needsCorrection = true;
    return v;
  });
  return needsCorrection ? { past: expectedOld, new: [...currentNew] } : undefined;
}

function isComplete(currentOld: RoleReplicaState, currentNew: RoleReplicaState, targetNew: RoleReplicaState): boolean {
  for (let i = 0; i < currentOld.length; i++) {
    if (currentOld[i] !== 0 || currentNew[i]! < targetNew[i]!) return false;
  }
  return true;
}

function isNewAtTarget(currentNew: RoleReplicaState, targetNew: RoleReplicaState): boolean {
  for (let i = 0; i < currentNew.length; i++) if (currentNew[i]! < targetNew[i]!) return false;
  return true;
}

function canScaleUp(
  currentOld: RoleReplicaState,
  nextNew: RoleReplicaState,
  targetNew: RoleReplicaState,
  config: readonly RollingUpdateConfig[],
): boolean {
  for (let i = 0; i < currentOld.length; i++) {
    if (targetNew[i] === 0) continue;
    if (currentOld[i]! + nextNew[i]! > targetNew[i]! + config[i]!.maxSurge) return false;
  }
  return true;
}

function computeMinOld(
  initialOld: RoleReplicaState,
  currentNew: RoleReplicaState,
  targetNew: RoleReplicaState,
  config: readonly RollingUpdateConfig[],
): number[] {
  return initialOld.map((init, i) =>
    init >= targetNew[i]! ? Math.max(0, targetNew[i]! - config[i]!.maxUnavailable - currentNew[i]!) : 0,
  );
}

function tryScaleUp(
  currentOld: RoleReplicaState,
  currentNew: RoleReplicaState,
  nextNew: RoleReplicaState,
  targetNew: RoleReplicaState,
  config: readonly RollingUpdateConfig[],
): UpdateStep | undefined {
  if (!nextNew.some((v, i) => v > currentNew[i]!)) return undefined;
  if (!canScaleUp(currentOld, nextNew, targetNew, config)) return undefined;
  return { past: currentOld, new: nextNew };
}

function canDrainAllToZero(
  nextNew: RoleReplicaState,
  initialOld: RoleReplicaState,
  target: RoleReplicaState,
  config: readonly RollingUpdateConfig[],
): boolean {
  for (let i = 0; i < target.length; i++) {
    if (initialOld[i]! >= target[i]!) {
      const minRequired = target[i]! - config[i]!.maxUnavailable;
      if (nextNew[i]! < minRequired) return false;
    }
  }
  return true;
}

/**
 * Orphan prevention (in place): if some but not all roles that had old replicas would drain to 0,
 * either drain all of them to 0 (when availability allows) or hold the zeroed ones at 1.
 */
function applyOrphanPrevention(
  nextOld: number[],
  currentNew: RoleReplicaState,
  initialOld: RoleReplicaState,
  target: RoleReplicaState,
  config: readonly RollingUpdateConfig[],
): void {
  let anyDrainsToZero = false;
  let allDrainToZero = true;
  for (let i = 0; i < nextOld.length; i++) {
    if (initialOld[i] === 0) continue;
    if (nextOld[i] === 0) anyDrainsToZero = true;
    else allDrainToZero = false;
  }
  if (!anyDrainsToZero || allDrainToZero) return;
  if (canDrainAllToZero(currentNew, initialOld, target, config)) {
    nextOld.fill(0);
    return;
  }
  for (let i = 0; i < nextOld.length; i++) {
    if (nextOld[i] === 0 && initialOld[i]! > 0) nextOld[i] = 1;
  }
}

function tryProportionalDrain(
  initialOld: RoleReplicaState,
  currentOld: RoleReplicaState,
  currentNew: RoleReplicaState,
  targetNew: RoleReplicaState,
  minOld: number[],
  totalSteps: number,
  config: readonly RollingUpdateConfig[],
): UpdateStep | undefined {
  const nextOld = computeNextOldReplicas(initialOld, currentOld, totalSteps).map((v, i) => Math.max(v, minOld[i]!));
  applyOrphanPrevention(nextOld, currentNew, initialOld, targetNew, config);
  if (!nextOld.some((v, i) => v < currentOld[i]!)) return undefined;
  return { past: nextOld, new: currentNew };
}

function tryForceDrain(
  currentOld: RoleReplicaState,
  nextNew: RoleReplicaState,
  initialOld: RoleReplicaState,
  targetNew: RoleReplicaState,
  config: readonly RollingUpdateConfig[],
): UpdateStep | undefined {
  let needsDrain = false;
  const drainedOld = currentOld.map((cur, i) => {
    const maxOld = targetNew[i]! + config[i]!.maxSurge - nextNew[i]!;
    let v = Math.max(0, Math.min(cur, maxOld));
    if (initialOld[i]! >= targetNew[i]!) {
      v = Math.max(v, Math.max(0, targetNew[i]! - config[i]!.maxUnavailable - nextNew[i]!));
    }
    if (v < cur) needsDrain = true;
    return v;
  });
  if (!needsDrain) return undefined;
  applyOrphanPrevention(drainedOld, nextNew, initialOld, targetNew, config);
  return { past: drainedOld, new: nextNew };
}

/**
 * ComputeNextStep: the next (past, new) replica vectors, or undefined when the rollout is complete
 * (old all 0 and new >= target), when there is nothing to roll (totalSteps 0), or when no move is
 * possible. Order of attempts: clamp abnormal old > initialOld; if new is at target drain all old;
 * scale up new; proportional drain of old; forced drain to make room for the next scale-up.
 */
export function computeNextStep(
  initialOld: RoleReplicaState,
  currentOld: RoleReplicaState,
  currentNew: RoleReplicaState,
  targetNew: RoleReplicaState,
  config: readonly RollingUpdateConfig[],
): UpdateStep | undefined {
  if (isComplete(currentOld, currentNew, targetNew)) return undefined;
  const totalSteps = computeTotalSteps(initialOld, targetNew, config);
  if (totalSteps === 0) return undefined;
  const abnormal = correctAbnormalState(currentOld, currentNew, initialOld);
  if (abnormal !== undefined) return abnormal;
  if (isNewAtTarget(currentNew, targetNew)) return { past: initialOld.map(() => 0), new: currentNew };
  const nextNew = computeNextNewReplicas(targetNew, currentNew, totalSteps);
  const minOld = computeMinOld(initialOld, currentNew, targetNew, config);
  return (
    tryScaleUp(currentOld, currentNew, nextNew, targetNew, config) ??
    tryProportionalDrain(initialOld, currentOld, currentNew, targetNew, minOld, totalSteps, config) ??
    tryForceDrain(currentOld, nextNew, initialOld, targetNew, config)
  );
}

/**
 * ComputeAllSteps: simulates a whole rollout (step 0 = initial state) by applying computeNextStep
 * until it returns undefined, at most `2 * max(replicas) + 10` times. Used by tests and tooling
 * (upstream's hack/plan-steps).
 */
export function computeAllSteps(
  initialOld: RoleReplicaState,
  target: RoleReplicaState,
  config: readonly RollingUpdateConfig[],
): UpdateStep[] {
  let currentOld = [...initialOld];
  let currentNew = initialOld.map(() => 0);
  let maxReplicas = 0;
  for (let i = 0; i < initialOld.length; i++) maxReplicas = Math.max(maxReplicas, initialOld[i]!, target[i]!);
  const maxSteps = maxReplicas * 2 + 10;
  const steps: UpdateStep[] = [{ past: [...initialOld], new: initialOld.map(() => 0) }];
  for (let i = 0; i < maxSteps; i++) {
    const next = computeNextStep(initialOld, currentOld, currentNew, target, config);
    if (next === undefined) break;
    steps.push({ past: [...next.past], new: [...next.new] });
    currentOld = next.past;
    currentNew = next.new;
  }
  return steps;
}
