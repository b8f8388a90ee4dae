import type { AuditReport, ErrorData } from '../api';
import type { SliceCreator } from './slice';

export type AuditPhase = 'idle' | 'verifying' | 'done' | 'failed';

/** The audit screen: the folder being verified, its report, and the report exported as a file. */
export interface AuditSlice {
  auditDir: string;
  /** Verifier keys the auditor pastes from the signed paper report, one a line. */
  trustedKeys: string;
  auditPhase: AuditPhase;
  auditReport: AuditReport | null;
  auditError: ErrorData | null;
  /** Where the last export of the report was written. */
  reportExportedTo: string | null;
  reportExportError: ErrorData | null;
  setAuditDir(dir: string): void;
  setTrustedKeys(text: string): void;
  pickAuditFolder(): Promise<void>;
  verifyTranscript(dir: string): Promise<void>;
  exportAuditReport(): Promise<void>;
}

export const createAuditSlice: SliceCreator<AuditSlice> = (set, get, request) => ({
  auditDir: '',
  trustedKeys: '',
  auditPhase: 'idle',
  auditReport: null,
  auditError: null,
  reportExportedTo: null,
  reportExportError: null,
  setAuditDir: (dir) => set({ auditDir: dir }),
  setTrustedKeys: (text) => set({ trustedKeys: text }),
  pickAuditFolder: async () => {
    // A closed dialog (no folder) changes nothing, not even an earlier error.
    await request((api) => api.pickAuditFolder(), {
      error: 'auditError',
      onOk: ({ dir }) => (dir ? { auditDir: dir } : { auditError: get().auditError }),
    });
  },
  verifyTranscript: async (dir) => {
    set({ auditDir: dir, auditPhase: 'verifying', auditError: null, reportExportedTo: null, reportExportError: null });
    const keys = get().trustedKeys.split('\n').map((k) => k.trim()).filter((k) => k.length > 0);
    const req = keys.length > 0 ? { dir, trustedKeys: keys } : { dir };
    await request((api) => api.verifyTranscript(req), {
      error: 'auditError',
      onOk: (auditReport) => ({ auditReport, auditPhase: 'done' }),
      onError: () => ({ auditReport: null, auditPhase: 'failed' }),
    });
  },
  exportAuditReport: async () => {
    const dir = get().auditReport?.dir;
    if (!dir) return;
    await request((api) => api.exportAuditReport({ dir }), {
      error: 'reportExportError',
      onOk: ({ path }) => ({ reportExportedTo: path }),
      onError: () => ({ reportExportedTo: null }),
    });
  },
});
