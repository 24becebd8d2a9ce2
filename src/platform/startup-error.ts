/**
 * A start-up failure an operator can act on: main.ts prints its message as one line and exits
 * 1, without a stack (the cause is kept for debugging). Its message names the setting to fix.
 */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

/** The code of a network or PostgreSQL error; Node reports "localhost" (IPv4 and IPv6) failures as an AggregateError. */
function codeOf(error: unknown): string | undefined {
  const e = error as ErrorLike | undefined;
  if (typeof e?.code === 'string') return e.code;
  if (Array.isArray(e?.errors)) return e.errors.map(codeOf).find(Boolean);
  return undefined;
}

/** user@host:port/database — what a person needs to recognise the URL, without its password. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}

/** Why a connection to `url` failed, in words, ending with the code a search engine knows. */
export function databaseFailure(error: unknown, url: string, timeoutMs: number): StartupError {
  const u = new URL(url);
  const user = decodeURIComponent(u.username);
  const database = decodeURIComponent(u.pathname.slice(1));
  const where = `${u.hostname}:${u.port || '5432'}`;
  const code = codeOf(error);
  const message = String((error as ErrorLike | undefined)?.message ?? error);
  let reason: string;
  switch (code ?? '') {
    case '28P01':
      reason = `wrong password for user "${user}" (28P01)`;
      break;
    case '28000':
      reason = `user "${user}" may not connect to database "${database}" (28000): ${message}`;
      break;
    case '3D000':
      reason = `database "${database}" does not exist on ${where} (3D000): create it (CREATE DATABASE) or fix the name`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      reason = `unknown host "${u.hostname}" (${code})`;
      break;
    case 'ECONNREFUSED':
      reason = `connection refused: nothing listens on ${where} (ECONNREFUSED); is PostgreSQL running there?`;
      break;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      reason = `${where} cannot be reached (${code}); check the host, port and firewall`;
      break;
    default:
      reason = /timeout/i.test(message)
        ? `no answer from ${where} within ${timeoutMs / 1000} s (timeout); check the host, port and firewall`
        : `${message}${code ? ` (${code})` : ''}`;
  }
  return new StartupError(`Cannot use the database named by DATABASE_URL (${describeDatabaseUrl(url)}): ${reason}`, { cause: error });
}

/** Why the HTTP server could not listen on PORT (and HOST). */
export function listenFailure(error: unknown, port: number, host: string): Error {
  const code = codeOf(error);
  switch (code ?? '') {
    case 'EADDRINUSE':
      return new StartupError(`PORT ${port} is already in use on ${host} (EADDRINUSE): stop the other process or set PORT to a free port`, { cause: error });
    case 'EACCES':
      return new StartupError(`PORT ${port} needs privileges this process does not have (EACCES): use a port above 1023`, { cause: error });
    case 'EADDRNOTAVAIL':
      return new StartupError(`HOST ${host} is not an address of this machine (EADDRNOTAVAIL): use 0.0.0.0, 127.0.0.1 or one of its addresses`, { cause: error });
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}
