import { describe, expect, it } from 'vitest';
import type { DevicesView } from '../../../electron/contract/views';
import { watchDevices } from '../../../electron/core/ipc/device-watch';
import type { SlotView } from '../../../electron/core/token/types';

const slot = (label: string): SlotView => ({
  slotId: '1', description: 'slot', manufacturer: 'm', hardwareSlot: false, removable: true, tokenPresent: true,
  token: {
    label, serial: 's1', model: 'm', manufacturer: 'm', mechanisms: [], algorithms: [], rehearsal: false,
    flags: {
      loginRequired: true, tokenInitialized: true, rng: true, writeProtected: false, userPinInitialized: true, userPinCountLow: false,
      userPinFinalTry: false, userPinLocked: false, userPinToBeChanged: false, soPinCountLow: false, soPinFinalTry: false, soPinLocked: false, soPinToBeChanged: false,
    },
  },
});

describe('watchDevices', () => {
  it('emits only when the view changes (not for the first poll, not for an unchanged one), and keeps polling after an error', async () => {
    const answers: (SlotView[] | Error)[] = [[], [], new Error('TOKEN_HOST_STOPPED'), [slot('root-1')], [slot('root-1')], []];
    let polls = 0;
    const tokens = {
      listSlots: async () => {
        const a = answers[Math.min(polls++, answers.length - 1)];
        if (a instanceof Error) throw a;
        return a ?? [];
      },
    };
    const emitted: DevicesView[] = [];
    const errors: unknown[] = [];
    await new Promise<void>((resolve) => {
      const w = watchDevices({ tokens }, 1, (view) => {
        emitted.push(view);
        if (emitted.length === 2) {
          w.stop();
          resolve();
        }
      }, (e) => errors.push(e));
    });
    expect(emitted.map((v) => v.slots.map((s) => s.token?.label))).toEqual([['root-1'], []]);
    expect(emitted[0]?.usbAvailable).toBe(false);
    expect(errors).toHaveLength(1);
  });
});

describe('watchDevices and the network', () => {
  it('emits when an interface comes up and again when it goes down, with what the air-gap probe saw', async () => {
    const seen: { kind: 'interface-up'; name: string; detail: string }[][] = [[], [{ kind: 'interface-up', name: 'eth0', detail: 'has address 192.0.2.7' }], []];
    let polls = 0;
    const deps = { tokens: { listSlots: async () => [] }, airGapProbe: async () => seen[Math.min(polls++, seen.length - 1)]! };
    const emitted: DevicesView[] = [];
    await new Promise<void>((resolve) => {
      const w = watchDevices(deps, 1, (view) => {
        emitted.push(view);
        if (emitted.length === 2) {
          w.stop();
          resolve();
        }
      });
    });
    expect(emitted.map((v) => v.network?.findings.map((f) => f.name))).toEqual([['eth0'], []]);
  });
});
