/**
 * @module bench/scenarios
 * What `npm run bench` measures. A session runs on one controller process in one namespace; its phases
 * run one after the other (the rolling update and the group restarts start from the created sets), each
 * measured on its own. The null bound runs only the phases that need no controller.
 */

export interface Shape {
  lws: number;
  replicas: number;
  size: number;
}
export const podsOf = (s: Shape) => s.lws * s.replicas * s.size;

export type Phase =
  | { kind: 'create'; name: string; title: string; shape: Shape }
  | { kind: 'rolling'; name: string; title: string }
  | { kind: 'restart'; name: string; title: string; groups: number; timeoutMs?: number }
  | { kind: 'webhook'; name: string; title: string; perSecond: number; seconds: number }
  | { kind: 'idle'; name: string; title: string; settleSeconds: number; unrelatedPods: number };

export interface Session {
  name: string;
  phases: Phase[];
}

/** Phases the null bound runs (no controller: nothing rolls or restarts groups). */
export const nullRuns = (p: Phase) => p.kind === 'create' || p.kind === 'webhook';

const create = (name: string, shape: Shape, title?: string): Phase => ({
  kind: 'create',
  name,
  shape,
  title:
    title ?? `${shape.lws} LWS × ${shape.replicas} groups × size ${shape.size} (${podsOf(shape)} pods) → Available`,
});

export function fullSessions(): Session[] {
  return [
    {
      name: 'create-400',
      phases: [
        {
          kind: 'idle',
          name: 'idle',
          title: 'idle, no LWS yet (30 s after start)',
          settleSeconds: 30,
          unrelatedPods: 0,
        },
        create('create-400', { lws: 50, replicas: 2, size: 4 }),
        { kind: 'rolling', name: 'rolling-50', title: 'rolling update of the 50 LWS (400 pods)' },
        { kind: 'restart', name: 'restart-20', title: 'delete one worker in 20 groups → groups recreated', groups: 20 },
      ],
    },
    { name: 'big-1x150x2', phases: [create('big-1x150x2', { lws: 1, replicas: 150, size: 2 })] },
    { name: 'size-100', phases: [create('size-100', { lws: 25, replicas: 2, size: 2 })] },
    { name: 'size-1200', phases: [create('size-1200', { lws: 200, replicas: 2, size: 3 })] },
    { name: 'size-2000', phases: [create('size-2000', { lws: 1, replicas: 500, size: 4 })] },
    {
      name: 'webhook',
      phases: [
        {
          kind: 'webhook',
          name: 'webhook-200',
          title: 'pod creates at 200/s for 10 s through the pod webhook (client-side create latency)',
          perSecond: 200,
          seconds: 10,
        },
      ],
    },
  ];
}

/** Sessions run after 10,000 unrelated pods exist (created once, after every other session). */
export function unrelatedSessions(): Session[] {
  return [
    {
      name: 'idle-10k',
      phases: [
        {
          kind: 'idle',
          name: 'idle-10k',
          title: 'idle with 10,000 pods of unrelated workloads (30 s)',
          settleSeconds: 30,
          unrelatedPods: 10_000,
        },
      ],
    },
  ];
}

export function quickSessions(): Session[] {
  return [
    {
      name: 'create-80',
      phases: [
        { kind: 'idle', name: 'idle', title: 'idle, no LWS yet (5 s after start)', settleSeconds: 5, unrelatedPods: 0 },
        create('create-80', { lws: 10, replicas: 2, size: 4 }),
        {
          kind: 'restart',
          name: 'restart-5',
          title: 'delete one worker in 5 groups → groups recreated',
          groups: 5,
          // lws-ts recreates 5 groups in 2–6 s; upstream v0.10.0 usually never does (#998), and waiting for it
          // would be most of the quick mode's 3-minute budget.
          timeoutMs: 12_000,
        },
      ],
    },
  ];
}

/** Scenario names of the size curve (the chart's x axis), in a session list. */
export function sizeCurveScenarios(sessions: readonly Session[]): string[] {
  return sessions
    .flatMap((s) => s.phases)
    .filter((p) => p.kind === 'create')
    .map((p) => p.name);
}
