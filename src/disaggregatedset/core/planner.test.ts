/**
 * Replays every case of upstream pkg/controllers/disaggregatedset/planner_test.go (v0.10.0), plus the
 * two hack/plan-steps sequences asserted by test/e2e/disaggregatedset "Rolling Update Step Tracking".
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  batchSize,
  computeAllSteps,
  computeNextNewReplicas,
  computeNextOldReplicas,
  computeNextStep,
  computeTotalSteps,
  correctAbnormalState,
  defaultRollingUpdateConfig,
  type RollingUpdateConfig,
  type UpdateStep,
} from './planner.ts';

const step = (past: number[], next: number[]): UpdateStep => ({ past, new: next });
const cfg = (...c: Partial<RollingUpdateConfig>[]): RollingUpdateConfig[] =>
  c.map((x) => ({ maxSurge: x.maxSurge ?? 0, maxUnavailable: x.maxUnavailable ?? 0 }));
const surges = (...s: number[]): RollingUpdateConfig[] => s.map((maxSurge) => ({ maxSurge, maxUnavailable: 0 }));

function completes(steps: UpdateStep[], target: number[]): boolean {
  const last = steps.at(-1);
  if (last === undefined) return false;
  return (
    last.past.every((v) => v === 0) && last.new.length === target.length && last.new.every((v, i) => v === target[i])
  );
}

const totalAtStep = (s: UpdateStep): number => [...s.past, ...s.new].reduce((a, b) => a + b, 0);
const minTotal = (steps: UpdateStep[]): number => Math.min(...steps.map(totalAtStep));

// TestComputeAllSteps_ExactSequence
const exactSequences: {
  name: string;
  source: [number, number];
  target: [number, number];
  config: RollingUpdateConfig[];
  expected: UpdateStep[];
}[] = [
  {
    name: 'small_1_1_surge1',
    source: [1, 1],
    target: [1, 1],
    config: defaultRollingUpdateConfig(2),
    expected: [step([1, 1], [0, 0]), step([1, 1], [1, 1]), step([0, 0], [1, 1])],
  },
  {
    name: 'small_2_2_surge1',
    source: [2, 2],
    target: [2, 2],
    config: defaultRollingUpdateConfig(2),
    expected: [
      step([2, 2], [0, 0]),
      step([2, 2], [1, 1]),
      step([1, 1], [1, 1]),
      step([1, 1], [2, 2]),
      step([0, 0], [2, 2]),
    ],
  },
  {
    name: 'small_3_3_surge1',
    source: [3, 3],
    target: [3, 3],
    config: defaultRollingUpdateConfig(2),
    expected: [
      step([3, 3], [0, 0]),
      step([3, 3], [1, 1]),
      step([2, 2], [1, 1]),
      step([2, 2], [2, 2]),
      step([1, 1], [2, 2]),
      step([1, 1], [3, 3]),
      step([0, 0], [3, 3]),
    ],
  },
  {
    name: 'medium_6_2_surge1',
    source: [6, 2],
    target: [6, 2],
    config: defaultRollingUpdateConfig(2),
    expected: [
      step([6, 2], [0, 0]),
      step([6, 2], [1, 1]),
      step([5, 2], [1, 1]),
      step([5, 2], [2, 1]),
      step([4, 2], [2, 1]),
      step([4, 2], [3, 1]),
      step([3, 1], [3, 1]),
      step([3, 1], [4, 2]),
      step([2, 1], [4, 2]),
      step([2, 1], [5, 2]),
      step([1, 1], [5, 2]),
      step([1, 1], [6, 2]),
      step([0, 0], [6, 2]),
    ],
  },
  {
    name: 'medium_6_2_surge2',
    source: [6, 2],
    target: [6, 2],
    config: surges(2, 2),
    expected: [
      step([6, 2], [0, 0]),
      step([6, 2], [2, 1]),
      step([4, 2], [2, 1]),
      step([4, 2], [4, 2]),
      step([2, 1], [4, 2]),
      step([2, 1], [6, 2]),
      step([0, 0], [6, 2]),
    ],
  },
  {
    name: 'medium_6_4_surge2',
    source: [6, 4],
    target: [6, 4],
    config: surges(2, 2),
    expected: [
      step([6, 4], [0, 0]),
      step([6, 4], [2, 2]),
      step([4, 3], [2, 2]),
      step([4, 3], [4, 3]),
      step([2, 2], [4, 3]),
      step([2, 2], [6, 4]),
      step([0, 0], [6, 4]),
    ],
  },
  {
    name: 'asymmetric_10_1_surge1',
    source: [10, 1],
    target: [10, 1],
    config: defaultRollingUpdateConfig(2),
    expected: [
      step([10, 1], [0, 0]),
      step([10, 1], [1, 1]),
      step([9, 1], [1, 1]),
      step([9, 1], [2, 1]),
      step([8, 1], [2, 1]),
      step([8, 1], [3, 1]),
      step([7, 1], [3, 1]),
      step([7, 1], [4, 1]),
      step([6, 1], [4, 1]),
      step([6, 1], [5, 1]),
      step([5, 1], [5, 1]),
      step([5, 1], [6, 1]),
      step([4, 1], [6, 1]),
      step([4, 1], [7, 1]),
      step([3, 1], [7, 1]),
      step([3, 1], [8, 1]),
      step([2, 1], [8, 1]),
      step([2, 1], [9, 1]),
      step([1, 1], [9, 1]),
      step([1, 1], [10, 1]),
      step([0, 0], [10, 1]),
    ],
  },
  {
    name: 'asymmetric_1_10_surge1',
    source: [1, 10],
    target: [1, 10],
    config: defaultRollingUpdateConfig(2),
    expected: [
      step([1, 10], [0, 0]),
      step([1, 10], [1, 1]),
      step([1, 9], [1, 1]),
      step([1, 9], [1, 2]),
      step([1, 8], [1, 2]),
      step([1, 8], [1, 3]),
      step([1, 7], [1, 3]),
      step([1, 7], [1, 4]),
      step([1, 6], [1, 4]),
      step([1, 6], [1, 5]),
      step([1, 5], [1, 5]),
      step([1, 5], [1, 6]),
      step([1, 4], [1, 6]),
      step([1, 4], [1, 7]),
      step([1, 3], [1, 7]),
      step([1, 3], [1, 8]),
      step([1, 2], [1, 8]),
      step([1, 2], [1, 9]),
      step([1, 1], [1, 9]),
      step([1, 1], [1, 10]),
      step([0, 0], [1, 10]),
    ],
  },
  {
    name: 'large_10_10_surge1',
    source: [10, 10],
    target: [10, 10],
    config: defaultRollingUpdateConfig(2),
    expected: [
      step([10, 10], [0, 0]),
      step([10, 10], [1, 1]),
      step([9, 9], [1, 1]),
      step([9, 9], [2, 2]),
      step([8, 8], [2, 2]),
      step([8, 8], [3, 3]),
      step([7, 7], [3, 3]),
      step([7, 7], [4, 4]),
      step([6, 6], [4, 4]),
      step([6, 6], [5, 5]),
      step([5, 5], [5, 5]),
      step([5, 5], [6, 6]),
      step([4, 4], [6, 6]),
      step([4, 4], [7, 7]),
      step([3, 3], [7, 7]),
      step([3, 3], [8, 8]),
      step([2, 2], [8, 8]),
      step([2, 2], [9, 9]),
      step([1, 1], [9, 9]),
      step([1, 1], [10, 10]),
      step([0, 0], [10, 10]),
    ],
  },
  {
    name: 'large_10_10_surge3',
    source: [10, 10],
    target: [10, 10],
    config: surges(3, 3),
    expected: [
      step([10, 10], [0, 0]),
      step([10, 10], [3, 3]),
      step([8, 8], [3, 3]),
      step([8, 8], [5, 5]),
      step([5, 5], [8, 8]),
      step([3, 3], [8, 8]),
      step([3, 3], [10, 10]),
      step([0, 0], [10, 10]),
    ],
  },
  {
    name: 'large_12_6_surge2',
    source: [12, 6],
    target: [12, 6],
    config: surges(2, 2),
    expected: [
      step([12, 6], [0, 0]),
      step([12, 6], [2, 1]),
      step([10, 5], [2, 1]),
      step([10, 5], [4, 2]),
      step([8, 4], [4, 2]),
      step([8, 4], [6, 3]),
      step([6, 3], [6, 3]),
      step([6, 3], [8, 4]),
      step([4, 2], [8, 4]),
      step([4, 2], [10, 5]),
      step([2, 1], [10, 5]),
      step([2, 1], [12, 6]),
      step([0, 0], [12, 6]),
    ],
  },
  {
    name: 'scale_up_1_1_to_3_3',
    source: [1, 1],
    target: [3, 3],
    config: defaultRollingUpdateConfig(2),
    expected: [
      step([1, 1], [0, 0]),
      step([1, 1], [1, 1]),
      step([1, 1], [2, 2]),
      step([1, 1], [3, 3]),
      step([0, 0], [3, 3]),
    ],
  },
  {
    name: 'scale_up_4_4_to_6_6',
    source: [4, 4],
    target: [6, 6],
    config: defaultRollingUpdateConfig(2),
    expected: [
      step([4, 4], [0, 0]),
      step([4, 4], [1, 1]),
      step([4, 4], [2, 2]),
      step([4, 4], [3, 3]),
      step([3, 3], [4, 4]),
      step([2, 2], [5, 5]),
      step([1, 1], [6, 6]),
      step([0, 0], [6, 6]),
    ],
  },
  {
    name: 'scale_down_5_5_to_2_2',
    source: [5, 5],
    target: [2, 2],
    config: defaultRollingUpdateConfig(2),
    expected: [
      step([5, 5], [0, 0]),
      step([4, 4], [0, 0]),
      step([3, 3], [0, 0]),
      step([2, 2], [0, 0]),
      step([2, 2], [1, 1]),
      step([1, 1], [1, 1]),
      step([1, 1], [2, 2]),
      step([0, 0], [2, 2]),
    ],
  },
  {
    name: 'mixed_scale_3_5_to_5_3',
    source: [3, 5],
    target: [5, 3],
    config: defaultRollingUpdateConfig(2),
    expected: [
      step([3, 5], [0, 0]),
      step([3, 4], [0, 0]),
      step([2, 3], [0, 0]),
      step([2, 3], [1, 1]),
      step([2, 2], [1, 1]),
      step([2, 2], [2, 2]),
      step([2, 2], [3, 2]),
      step([1, 1], [3, 2]),
      step([1, 1], [4, 3]),
      step([1, 1], [5, 3]),
      step([0, 0], [5, 3]),
    ],
  },
  {
    name: 'asymmetric_2_4_to_4_2',
    source: [2, 4],
    target: [4, 2],
    config: defaultRollingUpdateConfig(2),
    expected: [
      step([2, 4], [0, 0]),
      step([2, 3], [0, 0]),
      step([1, 2], [0, 0]),
      step([1, 2], [1, 1]),
      step([1, 2], [2, 1]),
      step([1, 1], [2, 1]),
      step([1, 1], [3, 2]),
      step([1, 1], [4, 2]),
      step([0, 0], [4, 2]),
    ],
  },
  {
    name: 'proportional_3_5_to_4_2',
    source: [3, 5],
    target: [4, 2],
    config: defaultRollingUpdateConfig(2),
    expected: [
      step([3, 5], [0, 0]),
      step([3, 4], [0, 0]),
      step([2, 3], [0, 0]),
      step([2, 2], [0, 0]),
      step([2, 2], [1, 1]),
      step([2, 2], [2, 1]),
      step([1, 1], [2, 1]),
      step([1, 1], [3, 2]),
      step([1, 1], [4, 2]),
      step([0, 0], [4, 2]),
    ],
  },
  {
    name: 'medium_4_4_surge2',
    source: [4, 4],
    target: [4, 4],
    config: surges(2, 2),
    expected: [
      step([4, 4], [0, 0]),
      step([4, 4], [2, 2]),
      step([2, 2], [2, 2]),
      step([2, 2], [4, 4]),
      step([0, 0], [4, 4]),
    ],
  },
  {
    name: 'asymmetric_surge_4_6',
    source: [4, 6],
    target: [4, 6],
    config: surges(2, 3),
    expected: [
      step([4, 6], [0, 0]),
      step([4, 6], [2, 3]),
      step([2, 3], [2, 3]),
      step([2, 3], [4, 6]),
      step([0, 0], [4, 6]),
    ],
  },
  {
    name: 'asymmetric_5_3_surge2',
    source: [5, 3],
    target: [5, 3],
    config: surges(2, 2),
    expected: [
      step([5, 3], [0, 0]),
      step([5, 3], [2, 1]),
      step([4, 2], [2, 1]),
      step([3, 2], [2, 1]),
      step([3, 2], [4, 2]),
      step([2, 1], [4, 2]),
      step([2, 1], [5, 3]),
      step([0, 0], [5, 3]),
    ],
  },
  {
    name: 'fresh_deploy_0_0_to_3_3',
    source: [0, 0],
    target: [3, 3],
    config: defaultRollingUpdateConfig(2),
    expected: [step([0, 0], [0, 0]), step([0, 0], [1, 1]), step([0, 0], [2, 2]), step([0, 0], [3, 3])],
  },
  {
    name: 'empty_0_0_to_0_0',
    source: [0, 0],
    target: [0, 0],
    config: defaultRollingUpdateConfig(2),
    expected: [step([0, 0], [0, 0])],
  },
];

// test/e2e/disaggregatedset "Rolling Update Step Tracking" (hack/plan-steps output).
const e2eSequences: typeof exactSequences = [
  {
    name: 'e2e scale-down-role0-scale-up-role1',
    source: [10, 2],
    target: [6, 8],
    config: surges(2, 2),
    expected: [
      step([10, 2], [0, 0]),
      step([8, 2], [0, 0]),
      step([6, 2], [0, 0]),
      step([6, 2], [2, 2]),
      step([4, 1], [2, 2]),
      step([4, 1], [3, 4]),
      step([4, 1], [4, 5]),
      step([2, 1], [4, 5]),
      step([2, 1], [5, 7]),
      step([2, 1], [6, 8]),
      step([0, 0], [6, 8]),
    ],
  },
  {
    name: 'e2e surge-0-unavail-2-batches-by-unavailable',
    source: [4, 4],
    target: [4, 4],
    config: cfg({ maxUnavailable: 2 }, { maxUnavailable: 2 }),
    expected: [
      step([4, 4], [0, 0]),
      step([2, 2], [0, 0]),
      step([2, 2], [2, 2]),
      step([0, 0], [2, 2]),
      step([0, 0], [4, 4]),
    ],
  },
];

describe('planner: ComputeAllSteps exact sequences (TestComputeAllSteps_ExactSequence)', () => {
  for (const tc of exactSequences) {
    it(tc.name, () => assert.deepEqual(computeAllSteps(tc.source, tc.target, tc.config), tc.expected));
  }
});

describe('planner: e2e step tracking sequences', () => {
  for (const tc of e2eSequences) {
    it(tc.name, () => assert.deepEqual(computeAllSteps(tc.source, tc.target, tc.config), tc.expected));
  }
});

describe('planner: unavailable strategy and surge priority', () => {
  const u1 = cfg({ maxUnavailable: 1 }, { maxUnavailable: 1 });
  it('TestUnavailableBasic_Symmetric4_4', () => {
    const steps = computeAllSteps([4, 4], [4, 4], u1);
    assert.ok(completes(steps, [4, 4]));
    assert.ok(minTotal(steps) < 8);
  });
  it('TestUnavailableBasic_StepSequence', () => {
    const steps = computeAllSteps([4, 4], [4, 4], u1);
    let found = false;
    for (let i = 1; i < steps.length && !found; i++) {
      const prev = steps[i - 1]!;
      const curr = steps[i]!;
      const oldDecreased = curr.past[0]! < prev.past[0]! || curr.past[1]! < prev.past[1]!;
      const newIncrease = curr.new[0]! - prev.new[0]! + (curr.new[1]! - prev.new[1]!);
      const oldDecrease = prev.past[0]! - curr.past[0]! + (prev.past[1]! - curr.past[1]!);
      if (oldDecreased && oldDecrease > newIncrease) found = true;
    }
    assert.ok(found, 'No unavailable pattern found');
  });
  it('TestSurgePriority_SurgeTakesPriorityOverUnavailable', () => {
    const steps = computeAllSteps(
      [4, 4],
      [4, 4],
      cfg({ maxSurge: 1, maxUnavailable: 1 }, { maxSurge: 1, maxUnavailable: 1 }),
    );
    assert.ok(completes(steps, [4, 4]));
    for (const s of steps) assert.ok(totalAtStep(s) >= 8);
  });
  it('TestSurgePriority_UnavailableWhenSurgeZero', () => {
    const steps = computeAllSteps([4, 4], [4, 4], u1);
    assert.ok(completes(steps, [4, 4]));
    assert.ok(minTotal(steps) < 8);
  });
  it('TestSurgePriority_Surge2Behavior', () => {
    const steps = computeAllSteps([6, 6], [6, 6], surges(2, 2));
    assert.ok(completes(steps, [6, 6]));
    for (const s of steps) assert.ok(totalAtStep(s) >= 12);
  });
  it('TestSurgePriority_Unavailable2Behavior', () => {
    const steps = computeAllSteps([6, 6], [6, 6], cfg({ maxUnavailable: 2 }, { maxUnavailable: 2 }));
    assert.ok(completes(steps, [6, 6]));
    assert.ok(minTotal(steps) < 12);
  });
  it('TestSurgePriority_BothSurgeAndUnavailableUsesSurge', () => {
    const steps = computeAllSteps(
      [6, 6],
      [6, 6],
      cfg({ maxSurge: 2, maxUnavailable: 2 }, { maxSurge: 2, maxUnavailable: 2 }),
    );
    assert.ok(completes(steps, [6, 6]));
    for (const s of steps) assert.ok(totalAtStep(s) >= 12);
  });
  it('TestMixedSurgeUnavailable_Role0SurgeRole1Unavailable', () => {
    assert.ok(completes(computeAllSteps([4, 4], [4, 4], cfg({ maxSurge: 1 }, { maxUnavailable: 1 })), [4, 4]));
  });
  it('TestMixedSurgeUnavailable_Role0UnavailableRole1Surge', () => {
    assert.ok(completes(computeAllSteps([4, 4], [4, 4], cfg({ maxUnavailable: 1 }, { maxSurge: 1 })), [4, 4]));
  });
  for (const [sp, sd] of [
    [6, 2],
    [2, 6],
    [8, 4],
  ] as const) {
    it(`TestMixedSurgeUnavailable_Asymmetric sp=${sp} sd=${sd}`, () => {
      assert.ok(completes(computeAllSteps([sp, sd], [sp, sd], cfg({ maxSurge: 1 }, { maxUnavailable: 1 })), [sp, sd]));
    });
  }
  it('TestUnavailableEdgeCases_ScaleUpWithUnavailable', () => {
    assert.ok(completes(computeAllSteps([2, 2], [4, 4], u1), [4, 4]));
  });
  it('TestUnavailableEdgeCases_ScaleDownWithUnavailable', () => {
    assert.ok(completes(computeAllSteps([4, 4], [2, 2], u1), [2, 2]));
  });
  it('TestUnavailableEdgeCases_FreshDeployWithUnavailable', () => {
    assert.ok(completes(computeAllSteps([0, 0], [4, 4], u1), [4, 4]));
  });
  for (const [size, unavailable] of [
    [4, 1],
    [6, 2],
    [10, 5],
  ] as const) {
    it(`TestUnavailableEdgeCases_NoInfiniteLoop size=${size} unavailable=${unavailable}`, () => {
      const steps = computeAllSteps(
        [size, size],
        [size, size],
        cfg({ maxUnavailable: unavailable }, { maxUnavailable: unavailable }),
      );
      assert.ok(steps.length <= size * 4, `too many steps (${steps.length})`);
      assert.ok(completes(steps, [size, size]));
    });
  }
});

describe('planner: helpers', () => {
  // TestBatchSize
  for (const [maxSurge, maxUnavailable, expected] of [
    [1, 0, 1],
    [2, 0, 2],
    [0, 1, 1],
    [0, 2, 2],
    [0, 0, 1],
    [3, 2, 3],
  ] as const) {
    it(`batchSize(${maxSurge}, ${maxUnavailable}) = ${expected}`, () =>
      assert.equal(batchSize(maxSurge, maxUnavailable), expected));
  }
  // TestComputeTotalSteps
  for (const [initialOld, target, config, expected] of [
    [[4, 4], [4, 4], defaultRollingUpdateConfig(2), 4],
    [[6, 2], [6, 2], defaultRollingUpdateConfig(2), 6],
    [[4, 4], [4, 4], surges(2, 2), 2],
    [[0, 0], [3, 3], defaultRollingUpdateConfig(2), 3],
  ] as const) {
    it(`computeTotalSteps(${initialOld}, ${target}) = ${expected}`, () =>
      assert.equal(computeTotalSteps([...initialOld], [...target], config), expected));
  }
  it('TestCorrectAbnormalState_Normal', () => assert.equal(correctAbnormalState([2, 2], [2, 2], [4, 4]), undefined));
  it('TestCorrectAbnormalState_Abnormal', () =>
    assert.deepEqual(correctAbnormalState([5, 5], [2, 2], [4, 4]), step([4, 4], [2, 2])));
  it('TestComputeNextStep_ReturnsNilWhenDone: exactly at target', () =>
    assert.equal(computeNextStep([3, 6], [0, 0], [3, 6], [3, 6], defaultRollingUpdateConfig(2)), undefined));
  it('TestComputeNextStep_ReturnsNilWhenDone: new exceeds target', () =>
    assert.equal(computeNextStep([3, 6], [0, 0], [4, 7], [3, 6], defaultRollingUpdateConfig(2)), undefined));
  it('TestComputeNextStep_FreshStart', () => {
    const r = computeNextStep([4, 4], [4, 4], [0, 0], [4, 4], defaultRollingUpdateConfig(2));
    assert.ok(r !== undefined && r.new[0]! > 0 && r.new[1]! > 0);
  });
  // TestComputeNextNewReplicas_EdgeCases
  it('computeNextNewReplicas target_role0_zero', () => {
    const r = computeNextNewReplicas([0, 4], [0, 2], 4);
    assert.equal(r[0], 0);
    assert.ok(r[1]! > 2);
  });
  it('computeNextNewReplicas target_role1_zero', () => {
    const r = computeNextNewReplicas([4, 0], [2, 0], 4);
    assert.ok(r[0]! > 2);
    assert.equal(r[1], 0);
  });
  it('computeNextNewReplicas total_steps_zero', () =>
    assert.deepEqual(computeNextNewReplicas([4, 4], [2, 2], 0), [4, 4]));
  // TestComputeNextOldReplicas_EdgeCases
  it('computeNextOldReplicas source_role0_zero', () => {
    const r = computeNextOldReplicas([0, 4], [0, 3], 4);
    assert.equal(r[0], 0);
    assert.ok(r[1]! <= 3);
  });
  it('computeNextOldReplicas source_role1_zero', () => {
    const r = computeNextOldReplicas([4, 0], [3, 0], 4);
    assert.ok(r[0]! <= 3);
    assert.equal(r[1], 0);
  });
  it('computeNextOldReplicas total_steps_zero', () =>
    assert.deepEqual(computeNextOldReplicas([4, 4], [2, 2], 0), [0, 0]));
});

describe('planner: N roles', () => {
  // TestNRole_RolloutCompletes
  const rollouts: [string, number[], number[], number[], number[]][] = [
    ['3role_symmetric', [3, 3, 3], [3, 3, 3], [1, 1, 1], [0, 0, 0]],
    ['3role_asymmetric', [6, 3, 2], [6, 3, 2], [2, 1, 1], [0, 0, 0]],
    ['3role_different_surge', [4, 4, 4], [4, 4, 4], [2, 1, 3], [0, 0, 0]],
    ['3role_scale_up', [2, 2, 2], [4, 4, 4], [1, 1, 1], [0, 0, 0]],
    ['3role_scale_down', [4, 4, 4], [2, 2, 2], [1, 1, 1], [0, 0, 0]],
    ['3role_fresh_deploy', [0, 0, 0], [3, 3, 3], [1, 1, 1], [0, 0, 0]],
    ['3role_unavailable', [4, 4, 4], [4, 4, 4], [0, 0, 0], [1, 1, 1]],
    ['3role_mixed_surge_unavail', [4, 4, 4], [4, 4, 4], [1, 0, 2], [0, 1, 0]],
    ['4role_symmetric', [4, 4, 4, 4], [4, 4, 4, 4], [1, 1, 1, 1], [0, 0, 0, 0]],
    ['4role_asymmetric', [8, 4, 2, 1], [8, 4, 2, 1], [2, 2, 1, 1], [0, 0, 0, 0]],
    ['4role_scale_up', [1, 1, 1, 1], [3, 3, 3, 3], [1, 1, 1, 1], [0, 0, 0, 0]],
    ['4role_scale_down', [5, 5, 5, 5], [2, 2, 2, 2], [1, 1, 1, 1], [0, 0, 0, 0]],
    ['4role_fresh_deploy', [0, 0, 0, 0], [4, 4, 4, 4], [1, 1, 1, 1], [0, 0, 0, 0]],
    ['5role_symmetric', [5, 5, 5, 5, 5], [5, 5, 5, 5, 5], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0]],
    ['5role_asymmetric', [10, 5, 3, 2, 1], [10, 5, 3, 2, 1], [2, 2, 1, 1, 1], [0, 0, 0, 0, 0]],
    ['5role_scale_up', [1, 1, 1, 1, 1], [2, 2, 2, 2, 2], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0]],
    ['5role_scale_down', [6, 6, 6, 6, 6], [3, 3, 3, 3, 3], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0]],
    ['5role_fresh_deploy', [0, 0, 0, 0, 0], [5, 5, 5, 5, 5], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0]],
    ['add_role_2to3', [4, 4, 0], [4, 4, 4], [1, 1, 1], [0, 0, 0]],
    ['add_role_3to4', [3, 3, 3, 0], [3, 3, 3, 3], [1, 1, 1, 1], [0, 0, 0, 0]],
    ['add_role_5to6', [2, 2, 2, 2, 2, 0], [2, 2, 2, 2, 2, 2], [1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0]],
    ['remove_role_3to2', [4, 4, 4], [4, 4, 0], [1, 1, 1], [0, 0, 0]],
    ['remove_role_4to3', [3, 3, 3, 3], [3, 3, 3, 0], [1, 1, 1, 1], [0, 0, 0, 0]],
    ['rename_role_5to5', [10, 10, 10, 10, 0, 10], [10, 10, 10, 10, 10, 0], [1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0]],
    ['scale_down_prefill_up_decode', [10, 2], [6, 8], [2, 2], [0, 0]],
    ['scale_down_both', [10, 10], [4, 4], [2, 2], [0, 0]],
    ['scale_down_asymmetric', [8, 4], [3, 2], [1, 1], [0, 0]],
    ['unavail_asymmetric_5_2', [5, 2], [5, 2], [0, 0], [1, 1]],
  ];
  for (const [name, initialOld, target, surge, unavail] of rollouts) {
    it(`TestNRole_RolloutCompletes ${name}`, () => {
      const config = surge.map((s, i) => ({ maxSurge: s, maxUnavailable: unavail[i]! }));
      assert.ok(completes(computeAllSteps(initialOld, target, config), target), 'rollout should complete');
    });
  }

  // TestNRole_SurgeConstraint
  const surgeCases: [string, number[], number[], number[]][] = [
    ['3role', [3, 3, 3], [3, 3, 3], [1, 1, 1]],
    ['4role', [4, 4, 4, 4], [4, 4, 4, 4], [1, 1, 1, 1]],
    ['5role', [5, 5, 5, 5, 5], [5, 5, 5, 5, 5], [1, 1, 1, 1, 1]],
    ['scale_down_prefill_up_decode', [10, 2], [6, 8], [2, 2]],
    ['scale_down_both', [10, 10], [4, 4], [2, 2]],
    ['scale_down_asymmetric', [8, 4], [3, 2], [1, 1]],
  ];
  for (const [name, initialOld, target, surge] of surgeCases) {
    it(`TestNRole_SurgeConstraint ${name}`, () => {
      const steps = computeAllSteps(initialOld, target, surges(...surge));
      steps.forEach((s, stepIdx) => {
        target.forEach((t, r) => {
          if (s.new[r] === 0) return;
          const actual = s.past[r]! + s.new[r]!;
          assert.ok(actual <= t + surge[r]!, `step ${stepIdx}, role ${r}: ${actual} > ${t + surge[r]!}`);
        });
      });
    });
  }

  // TestNRole_UnavailableConstraint
  const unavailCases: [string, number[], number[], number[]][] = [
    ['symmetric_4_4', [4, 4], [4, 4], [1, 1]],
    ['asymmetric_5_2', [5, 2], [5, 2], [1, 1]],
    ['asymmetric_2_5', [2, 5], [2, 5], [1, 1]],
    ['3role_symmetric', [3, 3, 3], [3, 3, 3], [1, 1, 1]],
  ];
  for (const [name, initialOld, target, unavail] of unavailCases) {
    it(`TestNRole_UnavailableConstraint ${name}`, () => {
      const steps = computeAllSteps(
        initialOld,
        target,
        unavail.map((u) => ({ maxSurge: 0, maxUnavailable: u })),
      );
      assert.ok(completes(steps, target));
      steps.forEach((s, stepIdx) => {
        target.forEach((t, r) => {
          if (initialOld[r]! < t) return;
          const actual = s.past[r]! + s.new[r]!;
          assert.ok(actual >= t - unavail[r]!, `step ${stepIdx}, role ${r}: ${actual} < ${t - unavail[r]!}`);
        });
      });
    });
  }

  // TestNRole_DefaultConfig
  for (const n of [3, 4, 5]) {
    it(`TestNRole_DefaultConfig ${n}_roles`, () => {
      const c = defaultRollingUpdateConfig(n);
      assert.equal(c.length, n);
      for (const x of c) assert.deepEqual(x, { maxSurge: 1, maxUnavailable: 0 });
    });
  }
});
