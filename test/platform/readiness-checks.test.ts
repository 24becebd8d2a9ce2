/**
 * The background checks /readyz reports: run at once and then every `everyMs`, never two of the
 * same at a time, each keeping its last outcome (states() calls nothing), logged and counted.
 */
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { startReadinessChecks } from '../../src/platform/readiness-checks.js';

const logger = pino({ level: 'silent' });

describe('readiness checks', () => {
  it('checked at start and again every everyMs; reading the states calls nothing; a failure and its recovery show in the state and the metric', async () => {
    let calls = 0;
    let failing = false;
    const registry = new Registry();
    const errors = vi.spyOn(logger, 'error');
    const checks = startReadinessChecks(
      [
        {
          name: 'outside.thing',
          everyMs: 40,
          check: async () => {
            calls++;
            if (failing) throw new Error('credentials rejected: check THING_KEY');
          },
        },
      ],
      { logger, registry },
    );
    try {
      await vi.waitFor(() => expect(checks.states()).toEqual([{ name: 'outside.thing', state: 'ok', checkedAt: expect.any(String) }]));
      const seen = calls;
      for (let i = 0; i < 50; i++) checks.states();
      expect(calls).toBe(seen);
      await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(seen + 2));

      failing = true;
      await vi.waitFor(() => expect(checks.states()[0]).toMatchObject({ state: 'failing', reason: 'credentials rejected: check THING_KEY' }));
      expect(await registry.metrics()).toMatch(/serenity_readiness_check_ok\{check="outside\.thing"\} 0/);
      expect(errors).toHaveBeenCalledWith({ check: 'outside.thing', reason: 'credentials rejected: check THING_KEY' }, 'readiness check failing');

      failing = false;
      await vi.waitFor(() => expect(checks.states()[0]!.state).toBe('ok'));
      expect(await registry.metrics()).toMatch(/serenity_readiness_check_ok\{check="outside\.thing"\} 1/);
    } finally {
      checks.stop();
    }
  });

  it('unchecked until the first answer; a slow check is never run twice at once; stop() ends the rechecks', async () => {
    let running = 0;
    let most = 0;
    let calls = 0;
    let release: () => void = () => undefined;
    const checks = startReadinessChecks(
      [
        {
          name: 'slow',
          everyMs: 10,
          check: () => {
            calls++;
            most = Math.max(most, ++running);
            return new Promise<void>((resolve) => {
              release = () => {
                running--;
                resolve();
              };
            });
          },
        },
      ],
      { logger, registry: new Registry() },
    );
    expect(checks.states()).toEqual([{ name: 'slow', state: 'unchecked' }]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toBe(1);
    release();
    await vi.waitFor(() => expect(checks.states()[0]!.state).toBe('ok'));
    checks.stop();
    release();
    const after = calls;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(calls).toBe(after);
    expect(most).toBe(1);
  });
});
