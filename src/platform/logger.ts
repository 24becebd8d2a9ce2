import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Config } from '../config.js';

export type { DestinationStream, Logger };

/** Paths that may carry secrets; pino replaces them before anything is written. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["stripe-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.clientSecret',
  'variables.*.password',
  'variables.password',
  'variables.newPassword',
  'variables.token',
  'variables.refreshToken',
];

/** `destination` (tests): where JSON lines go instead of stdout; pretty output ignores it. */
export function createLogger(config: Pick<Config, 'logLevel' | 'logPretty'>, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: config.logLevel,
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { service: 'serenity' },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(config.logPretty
      ? // One line per entry; a request's line says it all in its message, so its `request` facts are not repeated.
        { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service,request', singleLine: true } } }
      : {}),
  };
  return destination && !config.logPretty ? pino(options, destination) : pino(options);
}
