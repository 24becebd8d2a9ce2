import { Gauge, type Registry } from 'prom-client';
import type { Logger } from './logger.js';

/**
 * Something outside the process a module depends on (a meeting provider's credentials, say),
 * checked in the background and reported by /readyz. A failing one does not make the instance
 * unready: every instance shares it, so taking them all out of the load balancer would turn one
 * provider's trouble into a full outage. It is reported in /readyz's body, logged as an error
 * and shown by the serenity_readiness_check_ok metric.
 */
export interface ReadinessCheck {
  /** e.g. 'meetings.ZOOM'. */
  name: string;
  /** How often to check again: probes come every few seconds and must not each call outside. */
  everyMs: number;
  /** Resolves when all is well; rejects with why not (a message a person can act on, no secrets). */
  check(): Promise<void>;
}

export interface ReadinessCheckState {
  name: string;
  /** unchecked: the first check has not answered yet. */
  state: 'ok' | 'failing' | 'unchecked';
  reason?: string;
  checkedAt?: string;
}

export interface ReadinessChecks {
  /** The last outcome of each check (no call outside). */
  states(): ReadinessCheckState[];
  stop(): void;
}

/** Runs each check at once and then every `everyMs` (never two of the same at a time), keeping its last outcome. */
export function startReadinessChecks(checks: readonly ReadinessCheck[], options: { logger: Logger; registry: Registry }): ReadinessChecks {
  const states = new Map<string, ReadinessCheckState>(checks.map((c) => [c.name, { name: c.name, state: 'unchecked' }]));
  const gauge = new Gauge({
    name: 'serenity_readiness_check_ok',
    help: "Outside dependencies /readyz reports (a meeting provider's credentials): 1 ok, 0 failing, by check; absent until first checked.",
    labelNames: ['check'] as const,
    registers: [options.registry],
  });
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;

  for (const c of checks) {
    let running = false;
    const run = async () => {
      if (running || stopped) return;
      running = true;
      try {
        await c.check();
        if (states.get(c.name)?.state === 'failing') options.logger.info({ check: c.name }, 'readiness check passes again');
        states.set(c.name, { name: c.name, state: 'ok', checkedAt: new Date().toISOString() });
        gauge.set({ check: c.name }, 1);
      } catch (error) {
        const reason = (error instanceof Error ? error.message : String(error)).slice(0, 500);
        options.logger.error({ check: c.name, reason }, 'readiness check failing');
        states.set(c.name, { name: c.name, state: 'failing', reason, checkedAt: new Date().toISOString() });
        gauge.set({ check: c.name }, 0);
      } finally {
        running = false;
      }
    };
    void run();
    const timer = setInterval(() => void run(), c.everyMs);
    timer.unref();
    timers.push(timer);
  }

  return {
    states: () => [...states.values()],
    stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
    },
  };
}
