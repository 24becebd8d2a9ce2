import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('jobs (Agenda 6 on PostgreSQL)', () => {
  it('runs a job scheduled through Agenda: the heartbeat', async () => {
    const { agenda } = server.app.jobs!;
    const finished = new Promise<{ name: string; failed: boolean }>((resolve) => {
      agenda.once('success:platform.heartbeat', (job) => resolve({ name: job.attrs.name, failed: false }));
      agenda.once('fail:platform.heartbeat', (_error, job) => resolve({ name: job.attrs.name, failed: true }));
    });
    await server.app.jobs!.schedule(new Date(Date.now() + 300), 'platform.heartbeat', {});
    await expect(finished).resolves.toEqual({ name: 'platform.heartbeat', failed: false });

    const metrics = await (await fetch(`http://127.0.0.1:${server.app.port}/metrics`)).text();
    expect(metrics).toMatch(/serenity_job_runs_total\{job="platform.heartbeat",outcome="success"\} [1-9]/);
  });

  it('registers the heartbeat as a recurring job stored in PostgreSQL', async () => {
    const rows = await server.app.orm.em
      .getConnection()
      .execute<{ name: string; type: string; repeat_interval: string | null }[]>(
        "SELECT name, type, repeat_interval FROM agenda_jobs WHERE name = 'platform.heartbeat' AND type = 'single'",
      );
    expect(rows).toEqual([{ name: 'platform.heartbeat', type: 'single', repeat_interval: '5 minutes' }]);
  });
});
