import type { Logger } from './logger.js';

/**
 * Ctrl-C under `npm start` delivers SIGINT twice: the terminal's, and the one npm forwards to
 * its child. A second signal this soon after the first is that echo, not an "exit now".
 */
const ECHO_WINDOW_MS = 1000;

export interface StopSignals {
  /** Aborted by the first SIGTERM or SIGINT. */
  readonly signal: AbortSignal;
  /** Resolves with the first signal. */
  readonly requested: Promise<NodeJS.Signals>;
  /** Logs the request with this logger: now when a signal came before the logger existed. */
  useLogger(logger: Logger): void;
}

/**
 * Takes over SIGTERM and SIGINT for the whole life of the process: installed first, so a
 * signal during start-up is a request to stop cleanly (undo what has started, exit 0) rather
 * than Node's default exit that leaves the embedded PostgreSQL running. A later second signal
 * exits at once (code 1).
 */
export function catchStopSignals(): StopSignals {
  const controller = new AbortController();
  let resolveRequested!: (signal: NodeJS.Signals) => void;
  const requested = new Promise<NodeJS.Signals>((resolve) => (resolveRequested = resolve));
  let logger: Logger | undefined;
  let first: { signal: NodeJS.Signals; at: number } | undefined;

  const announce = () => logger?.info({ signal: first!.signal }, 'shutting down: finishing in-flight requests and jobs');
  const onSignal = (signal: NodeJS.Signals) => {
    if (!first) {
      first = { signal, at: Date.now() };
      announce();
      controller.abort(new StopRequested(signal));
      resolveRequested(signal);
      return;
    }
    if (Date.now() - first.at < ECHO_WINDOW_MS) return;
    logger?.warn({ signal }, 'second signal: exiting now');
    logger?.flush();
    process.exit(1);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  return {
    signal: controller.signal,
    requested,
    useLogger(next) {
      logger = next;
      if (first) announce();
    },
  };
}

/** The reason of the aborted start-up: a person or a supervisor asked to stop. */
export class StopRequested extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`stop requested (${signal})`);
    this.name = 'StopRequested';
  }
}
