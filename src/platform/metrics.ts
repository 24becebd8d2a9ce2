import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app instance (tests run several in one process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'serenity_' });
  return {
    registry,
    graphqlRequests: new Counter({
      name: 'serenity_graphql_requests_total',
      help: 'GraphQL operations by operation name, type and outcome (ok or the first error code).',
      labelNames: ['operation', 'type', 'outcome'] as const,
      registers: [registry],
    }),
    graphqlDuration: new Histogram({
      name: 'serenity_graphql_request_duration_seconds',
      help: 'GraphQL operation latency by operation name and type.',
      labelNames: ['operation', 'type'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: 'serenity_http_requests_total',
      help: 'HTTP requests by route and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    jobRuns: new Counter({
      name: 'serenity_job_runs_total',
      help: 'Background job runs by job name and outcome.',
      labelNames: ['job', 'outcome'] as const,
      registers: [registry],
    }),
    notificationDeliveries: new Counter({
      name: 'serenity_notification_deliveries_total',
      help: 'Notification deliveries settled by this process, by channel and outcome (sent, retried, failed, skipped).',
      labelNames: ['channel', 'outcome'] as const,
      registers: [registry],
    }),
    notificationLag: new Histogram({
      name: 'serenity_notification_lag_seconds',
      help: 'How long after its moment (dueAt) a notification was sent, by channel.',
      labelNames: ['channel'] as const,
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
      registers: [registry],
    }),
    notificationPendingDue: new Gauge({
      name: 'serenity_notification_pending_due',
      help: 'Deliveries past their moment and not yet sent, as of the last dispatch run of this process.',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
