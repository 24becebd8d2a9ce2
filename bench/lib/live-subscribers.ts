/**
 * The subscribers of bench/subscriptions.bench.ts, in a process of their own (started by
 * `startSubscribers`), so that 10,000 client sockets do not share the bench's event loop (nor the
 * server's: that one is `npm start` in a third process). Each subscriber is one WebSocket
 * speaking graphql-ws's protocol (graphql-transport-ws) with raw `ws`: a client library's
 * reconnect and bookkeeping would be measured too, and cost memory per socket.
 *
 * Protocol over the IPC channel: the bench sends `connect` (who subscribes to what), then `await`
 * once per round; this process answers with when each subscriber's event of that round arrived
 * (epoch milliseconds with fractions: performance.timeOrigin + performance.now(), comparable
 * across processes of one machine).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';

export interface SubscriberSpec {
  token: string;
  query: string;
  variables?: Record<string, unknown>;
}

type Request =
  | { type: 'connect'; url: string; subscribers: SubscriberSpec[]; parallel: number }
  | { type: 'await'; events: number; timeoutMs: number }
  | { type: 'close' };

type Reply =
  | { type: 'connected'; ms: number; refused: string[] }
  | { type: 'arrivals'; at: Array<number | null>; errors: string[]; closed: number; extra: number }
  | { type: 'closed' };

const now = () => performance.timeOrigin + performance.now();

export interface Subscribers {
  /** Opens every socket and subscribes (`parallel` handshakes at a time); resolves once each was acknowledged and its subscribe sent. */
  connect(url: string, subscribers: SubscriberSpec[], parallel?: number): Promise<{ ms: number; refused: string[] }>;
  /** Waits until every subscriber has `events` events (or timeoutMs), and gives the arrival time of each one's event number `events` (null: not arrived). */
  arrivals(events: number, timeoutMs: number): Promise<{ at: Array<number | null>; errors: string[]; closed: number; extra: number }>;
  /** Closes the sockets and ends the process. */
  close(): Promise<void>;
  pid: number;
}

/** The subscriber process, run with this Node and the same TypeScript loader as the bench. */
export function startSubscribers(): Subscribers {
  const child = fork(fileURLToPath(import.meta.url), [], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ask = <R extends Reply['type']>(request: Request, reply: R) =>
    new Promise<Extract<Reply, { type: R }>>((resolve, reject) => {
      const onMessage = (message: Reply) => {
        if (message.type !== reply) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as Extract<Reply, { type: R }>);
      };
      const onExit = () => reject(new Error('the subscriber process exited'));
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send(request);
    });
  return {
    pid: child.pid!,
    connect: (url, subscribers, parallel = 100) => ask({ type: 'connect', url, subscribers, parallel }, 'connected'),
    arrivals: (events, timeoutMs) => ask({ type: 'await', events, timeoutMs }, 'arrivals'),
    async close() {
      if (child.exitCode === null) await ask({ type: 'close' }, 'closed').catch(() => undefined);
      child.kill();
      await exited;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The child side

interface Live {
  socket: WebSocket;
  arrivals: number[];
}

function runChild(): void {
  const live: Live[] = [];
  const errors: string[] = [];
  let closed = 0;
  const send = (reply: Reply) => process.send!(reply);

  const open = (url: string, spec: SubscriberSpec) =>
    new Promise<string | null>((resolve) => {
      const entry: Live = { socket: new WebSocket(url, 'graphql-transport-ws'), arrivals: [] };
      const { socket } = entry;
      let acknowledged = false;
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${spec.token}` } })));
      socket.on('message', (data) => {
        const message = JSON.parse((data as Buffer).toString()) as { type: string; payload?: unknown };
        if (message.type === 'next') {
          entry.arrivals.push(now());
          const payload = message.payload as { errors?: Array<{ message: string }> };
          if (payload.errors?.length) errors.push(payload.errors.map((e) => e.message).join('; '));
        } else if (message.type === 'connection_ack') {
          acknowledged = true;
          live.push(entry);
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: spec.query, variables: spec.variables ?? {} } }));
          resolve(null);
        } else if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
        else if (message.type === 'error') errors.push(JSON.stringify(message.payload));
      });
      socket.on('close', (code, reason) => {
        if (acknowledged) closed += 1;
        else resolve(`closed ${code} ${reason.toString()}`);
      });
      socket.on('error', (error) => {
        if (!acknowledged) resolve(error.message);
      });
    });

  process.on('message', async (request: Request) => {
    if (request.type === 'connect') {
      const started = now();
      const refused: string[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: request.parallel }, async () => {
          while (next < request.subscribers.length) {
            const problem = await open(request.url, request.subscribers[next++]!);
            if (problem) refused.push(problem);
          }
        }),
      );
      send({ type: 'connected', ms: now() - started, refused: refused.slice(0, 10) });
    } else if (request.type === 'await') {
      const deadline = now() + request.timeoutMs;
      while (now() < deadline && live.some((l) => l.arrivals.length < request.events)) await new Promise((r) => setTimeout(r, 20));
      // Events beyond the ones expected: a subscriber that got one twice would hide a lost one.
      const extra = live.reduce((n, l) => n + Math.max(0, l.arrivals.length - request.events), 0);
      send({ type: 'arrivals', at: live.map((l) => l.arrivals[request.events - 1] ?? null), errors: errors.slice(0, 10), closed, extra });
    } else {
      await Promise.all(
        live.map(
          ({ socket }) =>
            new Promise<void>((resolve) => {
              if (socket.readyState === WebSocket.CLOSED) return resolve();
              socket.once('close', () => resolve());
              socket.close(1000);
            }),
        ),
      );
      send({ type: 'closed' });
      process.disconnect();
    }
  });
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) runChild();
