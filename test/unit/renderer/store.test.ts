import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditReport, DevicesView, KeyriteApi, Result } from '../../../electron/contract/index';

// The store runs in the renderer; here window.keyrite is a stand-in with the preload's shape.
const calls: string[] = [];
let verifyResult: Result<AuditReport>;
const fakeApi = {
  verifyTranscript: async (req: { dir: string }) => {
    calls.push(`verify ${req.dir}`);
    return verifyResult;
  },
  listDevices: async (): Promise<Result<DevicesView>> => ({ ok: true, value: { slots: [], usb: [], usbAvailable: false } }),
  on: () => () => undefined,
} as unknown as KeyriteApi;

(globalThis as unknown as { window: { keyrite: KeyriteApi } }).window = { keyrite: fakeApi };
const { useStore, resetStore } = await import('../../../renderer/src/store/index');

const report = { dir: '/c/1', verdict: 'verified', entries: [] } as unknown as AuditReport;

beforeEach(() => {
  calls.length = 0;
  resetStore();
});
afterEach(() => resetStore());

describe('renderer store', () => {
  it('verify: remembers the folder, shows the report, clears an earlier error', async () => {
    verifyResult = { ok: false, error: { code: 'INPUT_NOT_FOUND', message: 'missing' } };
    await useStore.getState().verifyTranscript('/c/0');
    expect(useStore.getState().auditPhase).toBe('failed');
    expect(useStore.getState().auditError?.code).toBe('INPUT_NOT_FOUND');
    verifyResult = { ok: true, value: report };
    await useStore.getState().verifyTranscript('/c/1');
    const s = useStore.getState();
    expect(calls).toEqual(['verify /c/0', 'verify /c/1']);
    expect(s.auditDir).toBe('/c/1');
    expect(s.auditPhase).toBe('done');
    expect(s.auditReport).toBe(report);
    expect(s.auditError).toBeNull();
  });

  it('a throwing bridge becomes error data, not an exception', async () => {
    const original = fakeApi.verifyTranscript;
    (fakeApi as unknown as Record<string, unknown>).verifyTranscript = async () => {
      throw new Error('bridge gone');
    };
    await useStore.getState().verifyTranscript('/c/2');
    expect(useStore.getState().auditError).toMatchObject({ code: 'BRIDGE_FAILED' });
    expect(useStore.getState().auditError?.message).toContain('bridge gone');
    (fakeApi as unknown as Record<string, unknown>).verifyTranscript = original;
  });

  it('devices: a devices/changed event replaces the view and clears the error', async () => {
    useStore.setState({ devicesError: { code: 'X', message: 'old' } });
    const view: DevicesView = { slots: [], usb: [], usbAvailable: true };
    useStore.getState().applyDevices(view);
    expect(useStore.getState().devices).toBe(view);
    expect(useStore.getState().devicesError).toBeNull();
  });

  it('resetStore puts every slice back as it started', async () => {
    useStore.getState().navigate('audit');
    useStore.getState().setAuditDir('/x');
    resetStore();
    expect(useStore.getState().route).toBe('home');
    expect(useStore.getState().auditDir).toBe('');
  });
});
