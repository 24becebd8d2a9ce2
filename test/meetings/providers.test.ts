import { describe, expect, it } from 'vitest';
import { jitsiProvider, phoneProvider, type MeetingFacts } from '../../src/meetings/providers.js';

const facts = (consultantPhone: string | null = null): MeetingFacts => ({
  consultationId: 'c1',
  title: 'Strategy review',
  start: new Date('2027-01-04T10:00:00Z'),
  end: new Date('2027-01-04T11:00:00Z'),
  consultantPhone,
  consultantEmail: 'sarah.chen@serenity.local',
  consultantName: 'Sarah Chen',
  timeZone: 'Europe/London',
});

describe('JITSI', () => {
  it('makes a room on the configured host whose name carries at least 128 random bits', async () => {
    const jitsi = jitsiProvider('https://jitsi.example.com');
    const rooms = await Promise.all(Array.from({ length: 50 }, () => jitsi.create(facts())));
    for (const room of rooms) {
      expect(room.joinUrl).toBe(`https://jitsi.example.com/${room.externalId}`);
      // base64url of 16 bytes: 22 characters of 6 bits each.
      expect(room.externalId).toMatch(/^Serenity-[A-Za-z0-9_-]{22}$/);
    }
    expect(new Set(rooms.map((r) => r.externalId)).size).toBe(rooms.length);
  });

  it('keeps the room on update and deletes nothing (a repeat is harmless)', async () => {
    const jitsi = jitsiProvider('https://meet.jit.si');
    const room = await jitsi.create(facts());
    expect((await jitsi.update(room.externalId, facts())).joinUrl).toBe(room.joinUrl);
    await expect(jitsi.delete(room.externalId)).resolves.toBeUndefined();
    await expect(jitsi.delete(room.externalId)).resolves.toBeUndefined();
  });
});

describe('PHONE', () => {
  it("calls the consultant's phone as a tel: link, else the business number", async () => {
    const phone = phoneProvider('+44 20 7946 0000');
    expect(await phone.create(facts('+1 (555) 010-2030'))).toMatchObject({ joinUrl: 'tel:+15550102030', dialIn: '+1 (555) 010-2030', hostUrl: null });
    expect(await phone.create(facts())).toMatchObject({ joinUrl: 'tel:+442079460000', dialIn: '+44 20 7946 0000' });
  });

  it('fails, naming the setting, when there is no number at all', async () => {
    await expect(phoneProvider(null).create(facts())).rejects.toThrow(/MEETING_PHONE_NUMBER/);
  });
});
