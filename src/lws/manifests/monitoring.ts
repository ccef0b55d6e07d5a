/**
 * @module lws/manifests/monitoring
 * Alerts and the Grafana dashboard of the LWS controller, shared by every install path (dist/monitoring, the
 * operator's operand next to the ServiceMonitor, the Helm chart, the OLM bundle). Pure data. The alert
 * expressions read our metrics (controllers/lws-metrics) and controller-runtime's; the thresholds are options so
 * tests run the very same expressions with short durations (docs/observability.md).
 */

/** The Prometheus `job` of the controller: the metrics Service's name, which a ServiceMonitor uses as job. */
export const METRICS_JOB = 'lws-controller-manager-metrics-service';
export const PROMETHEUS_RULE_NAME = 'lws-controller-manager-rules';
export const DASHBOARD_UID = 'lws-controller';
export const DASHBOARD_FILE = 'lws-controller-dashboard.json';

export interface AlertOptions {
  /** LWSGroupNotReady: a group has not been Ready for this long. */
  groupNotReadyFor: string;
  /** LWSRolloutStuck: the rollout progress has not changed for this long (window), then for as long again. */
  rolloutStuckFor: string;
  /** LWSControllerDown: no controller target up for this long. */
  controllerDownFor: string;
  /** LWSWebhookErrors / LWSWebhookLatencyHigh: sustained for this long. */
  webhookFor: string;
  /** Rate window of the webhook expressions. */
  rateWindow: string;
  /** LWSWebhookErrors: fraction of 5xx answers. */
  webhookErrorRatio: number;
  /** LWSWebhookLatencyHigh: p99 latency in seconds. */
  webhookLatencySeconds: number;
  /** LWSWebhookCertificateExpiringSoon: days before notAfter. */
  certificateExpiryDays: number;
  /** The controller's job label. */
  job: string;
}

export const DEFAULT_ALERT_OPTIONS: AlertOptions = {
  groupNotReadyFor: '15m',
  rolloutStuckFor: '15m',
  controllerDownFor: '5m',
  webhookFor: '10m',
  rateWindow: '5m',
  webhookErrorRatio: 0.05,
  webhookLatencySeconds: 1,
  certificateExpiryDays: 14,
  job: METRICS_JOB,
};

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: 'warning' | 'critical' };
  annotations: { summary: string; description: string };
}

export interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

const BY_SET = 'namespace, leaderworkerset';

export function alertRules(overrides: Partial<AlertOptions> = {}): RuleGroup[] {
  const o = { ...DEFAULT_ALERT_OPTIONS, ...overrides };
  const job = `job="${o.job}"`;
  const webhookRate = (extra: string) =>
    `sum by (webhook) (rate(controller_runtime_webhook_requests_total{${job}${extra}}[${o.rateWindow}]))`;
  const rule = (
    alert: string,
    expr: string,
    forDuration: string,
    severity: 'warning' | 'critical',
    summary: string,
    description: string,
  ): AlertRule => ({
    alert,
    expr,
    for: forDuration,
    labels: { severity },
    annotations: { summary, description },
  });
  return [
    {
      name: 'lws-workloads',
      rules: [
        rule(
          'LWSGroupNotReady',
          `max by (${BY_SET}) (lws_groups{state="progressing"}) > 0`,
          o.groupNotReadyFor,
          'warning',
          'Groups of a LeaderWorkerSet are not Ready',
          `{{ $value }} group(s) of LeaderWorkerSet {{ $labels.namespace }}/{{ $labels.leaderworkerset }} have not been Ready for ${o.groupNotReadyFor}.`,
        ),
        rule(
          'LWSRolloutStuck',
          `max by (${BY_SET}) (lws_rollout_progress_ratio) < 1\nand on (${BY_SET})\n` +
            `max by (${BY_SET}) (changes(lws_rollout_progress_ratio[${o.rolloutStuckFor}])) == 0`,
          o.rolloutStuckFor,
          'warning',
          'A LeaderWorkerSet rolling update makes no progress',
          `The rolling update of LeaderWorkerSet {{ $labels.namespace }}/{{ $labels.leaderworkerset }} is at {{ $value | humanizePercentage }} and has not moved for ${o.rolloutStuckFor}; see kubectl lws rollout status / rollout undo.`,
        ),
      ],
    },
    {
      name: 'lws-controller',
      rules: [
        rule(
          'LWSControllerDown',
          `absent(up{${job}} == 1)`,
          o.controllerDownFor,
          'critical',
          'The LeaderWorkerSet controller is down',
          `No LeaderWorkerSet controller target (job ${o.job}) has been up for ${o.controllerDownFor}: LeaderWorkerSets are not reconciled and their webhooks fail.`,
        ),
        rule(
          'LWSWebhookErrors',
          `${webhookRate(',code=~"5.."')}\n/\n${webhookRate('')} > ${o.webhookErrorRatio}`,
          o.webhookFor,
          'warning',
          'LeaderWorkerSet admission webhooks answer with errors',
          `{{ $value | humanizePercentage }} of the requests to webhook {{ $labels.webhook }} failed over ${o.rateWindow}.`,
        ),
        rule(
          'LWSWebhookLatencyHigh',
          `histogram_quantile(0.99, sum by (webhook, le) (rate(controller_runtime_webhook_latency_seconds_bucket{${job}}[${o.rateWindow}]))) > ${o.webhookLatencySeconds}`,
          o.webhookFor,
          'warning',
          'LeaderWorkerSet admission webhooks are slow',
          `The 99th percentile latency of webhook {{ $labels.webhook }} is {{ $value | humanizeDuration }} (above ${o.webhookLatencySeconds}s).`,
        ),
        rule(
          'LWSWebhookCertificateExpiringSoon',
          `min by (namespace, pod, instance) (lws_webhook_certificate_expiry_timestamp_seconds{${job}}) - time() < ${o.certificateExpiryDays} * 86400`,
          '10m',
          'warning',
          'The LeaderWorkerSet webhook certificate expires soon',
          `The webhook certificate served by {{ $labels.instance }} expires in {{ $value | humanizeDuration }}; renew it (internal rotation or cert-manager) before the apiserver rejects the webhooks.`,
        ),
      ],
    },
  ];
}

/** A Prometheus Operator PrometheusRule carrying the alerts. */
export function prometheusRule(
  namespace: string,
  labels: Record<string, string> = {},
  overrides: Partial<AlertOptions> = {},
) {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: PROMETHEUS_RULE_NAME, namespace, labels: { ...labels } },
    spec: { groups: alertRules(overrides) },
  };
}

// ---------------------------------------------------------------------------------------------- dashboard

interface Target {
  expr: string;
  legendFormat: string;
}

const DS = { type: 'prometheus', uid: '${datasource}' };
const SEL = 'namespace=~"$namespace", leaderworkerset=~"$leaderworkerset"';

function panel(
  id: number,
  title: string,
  grid: { x: number; y: number; w: number; h: number },
  targets: Target[],
  unit = 'short',
  type: 'timeseries' | 'stat' = 'timeseries',
) {
  return {
    id,
    type,
    title,
    datasource: DS,
    gridPos: grid,
    fieldConfig: { defaults: { unit }, overrides: [] },
    options: type === 'stat' ? { reduceOptions: { calcs: ['lastNotNull'] } } : { legend: { displayMode: 'list' } },
    targets: targets.map((t, i) => ({ ...t, refId: String.fromCharCode(65 + i), datasource: DS })),
  };
}

/** The Grafana dashboard (schema 39): workloads on top, the controller and its webhooks below. */
export function grafanaDashboard(job = METRICS_JOB) {
  const j = `job="${job}"`;
  const quantiles = (metric: string, by: string): Target[] =>
    [0.5, 0.9].map((q) => ({
      expr: `histogram_quantile(${q}, sum by (${by}, le) (rate(${metric}_bucket{${SEL}}[$__rate_interval])))`,
      legendFormat: `p${q * 100} {{${by.split(', ').at(-1)}}}`,
    }));
  return {
    uid: DASHBOARD_UID,
    title: 'LeaderWorkerSet',
    tags: ['lws', 'leaderworkerset'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-3h', to: 'now' },
    templating: {
      list: [
        { name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Data source' },
        {
          name: 'namespace',
          type: 'query',
          datasource: DS,
          query: 'label_values(lws_groups, namespace)',
          includeAll: true,
          multi: true,
          refresh: 2,
        },
        {
          name: 'leaderworkerset',
          type: 'query',
          datasource: DS,
          query: 'label_values(lws_groups{namespace=~"$namespace"}, leaderworkerset)',
          includeAll: true,
          multi: true,
          refresh: 2,
        },
      ],
    },
    panels: [
      panel(1, 'Groups by state', { x: 0, y: 0, w: 12, h: 8 }, [
        { expr: `sum by (leaderworkerset, state) (lws_groups{${SEL}})`, legendFormat: '{{leaderworkerset}} {{state}}' },
      ]),
      panel(
        2,
        'Rollout progress',
        { x: 12, y: 0, w: 12, h: 8 },
        [
          {
            expr: `max by (leaderworkerset) (lws_rollout_progress_ratio{${SEL}})`,
            legendFormat: '{{leaderworkerset}}',
          },
        ],
        'percentunit',
      ),
      panel(
        3,
        'Rollout duration',
        { x: 0, y: 8, w: 8, h: 8 },
        quantiles('lws_rollout_duration_seconds', 'leaderworkerset'),
        's',
      ),
      panel(
        4,
        'Group creation to Ready',
        { x: 8, y: 8, w: 8, h: 8 },
        quantiles('lws_group_ready_seconds', 'leaderworkerset'),
        's',
      ),
      panel(5, 'Group recreations by reason', { x: 16, y: 8, w: 8, h: 8 }, [
        {
          expr: `sum by (leaderworkerset, reason) (increase(lws_group_recreations_total{${SEL}}[$__rate_interval]))`,
          legendFormat: '{{leaderworkerset}} {{reason}}',
        },
      ]),
      panel(
        6,
        'Controller up',
        { x: 0, y: 16, w: 4, h: 4 },
        [{ expr: `sum(up{${j}})`, legendFormat: 'up' }],
        'short',
        'stat',
      ),
      panel(
        7,
        'Webhook certificate expires in',
        { x: 4, y: 16, w: 4, h: 4 },
        [{ expr: `min(lws_webhook_certificate_expiry_timestamp_seconds{${j}}) - time()`, legendFormat: 'expiry' }],
        's',
        'stat',
      ),
      panel(
        8,
        'Reconciles by controller and result',
        { x: 8, y: 16, w: 8, h: 8 },
        [
          {
            expr: `sum by (controller, result) (rate(controller_runtime_reconcile_total{${j}}[$__rate_interval]))`,
            legendFormat: '{{controller}} {{result}}',
          },
        ],
        'ops',
      ),
      panel(9, 'Work queue depth', { x: 16, y: 16, w: 8, h: 8 }, [
        { expr: `sum by (name) (workqueue_depth{${j}})`, legendFormat: '{{name}}' },
      ]),
      panel(
        10,
        'Webhook requests by code',
        { x: 0, y: 24, w: 12, h: 8 },
        [
          {
            expr: `sum by (webhook, code) (rate(controller_runtime_webhook_requests_total{${j}}[$__rate_interval]))`,
            legendFormat: '{{webhook}} {{code}}',
          },
        ],
        'reqps',
      ),
      panel(
        11,
        'Webhook latency p99',
        { x: 12, y: 24, w: 12, h: 8 },
        [
          {
            expr: `histogram_quantile(0.99, sum by (webhook, le) (rate(controller_runtime_webhook_latency_seconds_bucket{${j}}[$__rate_interval])))`,
            legendFormat: '{{webhook}}',
          },
        ],
        's',
      ),
    ],
  };
}
