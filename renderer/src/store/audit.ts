import type { StateCreator } from 'zustand';
import type { AuditReport, ErrorData } from '../api';
import { keyrite, settle } from '../api';
import type { Store } from './index';

export type AuditPhase = 'idle' | 'verifying' | 'done' | 'failed';

export interface AuditSlice {
  auditDir: string;
  auditPhase: AuditPhase;
  report: AuditReport | null;
  auditError: ErrorData | null;
  exportedTo: string | null;
  exportError: ErrorData | null;
  setAuditDir(dir: string): void;
  pickAuditFolder(): Promise<void>;
  verify(dir: string): Promise<void>;
  exportReport(): Promise<void>;
  clearAudit(): void;
}

export const createAuditSlice: StateCreator<Store, [], [], AuditSlice> = (set, get) => ({
  auditDir: '',
  auditPhase: 'idle',
  report: null,
  auditError: null,
  exportedTo: null,
  exportError: null,
  setAuditDir: (dir) => set({ auditDir: dir }),
  pickAuditFolder: async () => {
    const r = await settle(() => keyrite().pickAuditFolder());
    if (!r.ok) set({ auditError: r.error });
    else if (r.value.dir) set({ auditDir: r.value.dir, auditError: null });
  },
  verify: async (dir) => {
    set({ auditDir: dir, auditPhase: 'verifying', auditError: null, exportedTo: null, exportError: null });
    const r = await settle(() => keyrite().verifyTranscript({ dir }));
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
