import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDatabase } from '../../src/platform/db.js';
import { freePort } from '../../src/platform/embedded-postgres.js';
import { StartupError } from '../../src/platform/startup-error.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** Each way a DATABASE_URL can fail, met for real, gets its own one-line explanation. */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

async function failure(url: string, timeoutMs?: number): Promise<StartupError> {
  const error = await checkDatabase(url, { timeoutMs }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StartupError);
  expect((error as Error).message).not.toContain('\n');
  return error as StartupError;
}

describe('checkDatabase', () => {
  it('passes for a database it can use', async () => {
    await expect(checkDatabase(database.url)).resolves.toBeUndefined();
  });

  it('tells a wrong password (28P01) from an unknown database (3D000)', async () => {
    const wrongPassword = new URL(database.url);
    wrongPassword.password = 'hunter2';
    const { message } = await failure(wrongPassword.toString());
    expect(message).toMatch(/^Cannot use the database named by DATABASE_URL \(.*@127\.0\.0\.1:\d+\/serenity_test_\w+\): wrong password for user "\w+" \(28P01\)/);
    expect(message).not.toContain('hunter2');

    const unknownDatabase = new URL(database.url);
    unknownDatabase.pathname = '/nope';
    expect((await failure(unknownDatabase.toString())).message).toMatch(/: database "nope" does not exist .*\(3D000\)/);
  });

  it('tells an unknown host from a refused connection', async () => {
    expect((await failure('postgres://u:p@no-such-host.invalid:5432/db')).message).toMatch(/: unknown host "no-such-host\.invalid" \((ENOTFOUND|EAI_AGAIN)\)/);
    const port = await freePort();
    expect((await failure(`postgres://u:p@127.0.0.1:${port}/db`)).message).toMatch(new RegExp(`: connection refused: nothing listens on 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
  });

  it('gives up after the timeout on a server that never answers', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket)); // accepts and says nothing, like a black-holed port
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const started = Date.now();
      const { message } = await failure(`postgres://u:p@127.0.0.1:${port}/db`, 500);
      expect(message).toMatch(new RegExp(`: no answer from 127\\.0\\.0\\.1:${port} within 0\\.5 s \\(timeout\\)`));
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
