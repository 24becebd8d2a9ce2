/**
 * Modules describe themselves (src/<domain>/index.ts) and src/modules.ts composes them: an
 * event's handlers from several modules all run, in module order.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { EVENT_HANDLERS, MODULES } from '../../src/modules.js';
import { DomainEvents, type ConsultationChange, type DomainEventHandlers, type DomainEventMap } from '../../src/platform/events.js';
import { composeModules, type ModuleManifest } from '../../src/platform/module.js';

const module = (name: string, eventHandlers: DomainEventHandlers): ModuleManifest => ({ name, entities: [], resolvers: [], jobs: [], eventHandlers, routes: [], seeders: [] });

const change: ConsultationChange = {
  kind: 'COMPLETED',
  consultationId: '00000000-0000-4000-8000-000000000001',
  organizationId: '00000000-0000-4000-8000-000000000002',
  consultantId: '00000000-0000-4000-8000-000000000003',
  status: 'COMPLETED',
  actorId: null,
  at: new Date('2026-12-01T10:00:00Z'),
};
// The handlers here write nothing; they only need an EntityManager to be passed along.
const em = {} as EntityManager;

describe('composing modules', () => {
  it("two modules' handlers for one event both run: the modules in their listed order, each module's handlers in its own", async () => {
    const ran: string[] = [];
    const note = (label: string) => async () => void ran.push(label);
    const { eventHandlers } = composeModules([
      module('first', { 'consultation.changed': [note('first: a'), note('first: b')], 'client.verified': [note('first: verified')] }),
      module('second', { 'consultation.changed': [note('second')] }),
      module('third', {}),
    ]);
    const events = new DomainEvents(eventHandlers);

    await events.emit('consultation.changed', change, em);
    expect(ran).toEqual(['first: a', 'first: b', 'second']);
    await events.emit('client.verified', { userId: change.actorId ?? '', organizationId: change.organizationId }, em);
    expect(ran.slice(3)).toEqual(['first: verified']);
  });

  it('the lists are joined in module order', () => {
    const job = (name: string) => ({ name, handler: async () => {} });
    const composed = composeModules([
      { ...module('first', {}), jobs: [job('first.a'), job('first.b')], seeders: [{ name: 'first', run: async () => ({ created: 0 }) }] },
      { ...module('second', {}), jobs: [job('second')], seeders: [{ name: 'second', run: async () => ({ created: 0 }) }] },
    ]);
    expect(composed.jobs.map((j) => j.name)).toEqual(['first.a', 'first.b', 'second']);
    expect(composed.seeders.map((s) => s.name)).toEqual(['first', 'second']);
  });

  it("the app's handlers for an event are every module's, in module order", () => {
    const names = new Set(MODULES.flatMap((m) => Object.keys(m.eventHandlers) as Array<keyof DomainEventMap>));
    expect(names.size).toBeGreaterThan(0);
    for (const name of names) expect(EVENT_HANDLERS[name]).toEqual(MODULES.flatMap((m): readonly unknown[] => m.eventHandlers[name] ?? []));
  });
});
