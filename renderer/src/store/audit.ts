import type { StateCreator } from 'zustand';
import type { AuditReport, ErrorData } from '../api';
import { keyrite, settle } from '../api';
import type { Store } from './index';

export type AuditPhase = 'idle' | 'verifying' | 'done' | 'failed';

export interface AuditSlice {
  auditDir: string;
  /** Verifier keys the auditor pastes from the signed paper report, one a line. */
  trustedKeys: string;
  auditPhase: AuditPhase;
  report: AuditReport | null;
  auditError: ErrorData | null;
  exportedTo: string | null;
  exportError: ErrorData | null;
  setAuditDir(dir: string): void;
  setTrustedKeys(text: string): void;
  pickAuditFolder(): Promise<void>;
  verify(dir: string): Promise<void>;
  exportReport(): Promise<void>;
  clearAudit(): void;
}

export const createAuditSlice: StateCreator<Store, [], [], AuditSlice> = (set, get) => ({
  auditDir: '',
  trustedKeys: '',
  auditPhase: 'idle',
  report: null,
  auditError: null,
  exportedTo: null,
  exportError: null,
  setAuditDir: (dir) => set({ auditDir: dir }),
  setTrustedKeys: (text) => set({ trustedKeys: text }),
  pickAuditFolder: async () => {
    const r = await settle(() => keyrite().pickAuditFolder());
    if (!r.ok) set({ auditError: r.error });
    else if (r.value.dir) set({ auditDir: r.value.dir, auditError: null });
  },
  verify: async (dir) => {
    set({ auditDir: dir, auditPhase: 'verifying', auditError: null, exportedTo: null, exportError: null });
    const keys = get().trustedKeys.split('\n').map((k) => k.trim()).filter((k) => k.length > 0);
    const r = await settle(() => keyrite().verifyTranscript(keys.length > 0 ? { dir, trustedKeys: keys } : { dir }));
    set(r.ok ? { report: r.value, auditPhase: 'done' } : { report: null, auditError: r.error, auditPhase: 'failed' });
  },
  exportReport: async () => {
    const dir = get().report?.dir;
    if (!dir) return;
    const r = await settle(() => keyrite().exportAuditReport({ dir }));
    set(r.ok ? { exportedTo: r.value.path, exportError: null } : { exportError: r.error, exportedTo: null });
  },
  clearAudit: () => set({ report: null, auditPhase: 'idle', auditError: null, exportedTo: null, exportError: null }),
});
