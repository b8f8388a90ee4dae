import { useCallback, useEffect, useState } from 'react';
import { keyrite, settle, type ErrorData } from '../../api';
import { tokenChoices, type TokenChoice } from '../../store/ceremony-recovery';

/** Tokens present now (tokens/list), listed when the screen opens and again on request. */
export function useTokenChoices(): { tokens: TokenChoice[] | null; error: ErrorData | null; reload: () => void } {
  const [tokens, setTokens] = useState<TokenChoice[] | null>(null);
  const [error, setError] = useState<ErrorData | null>(null);
  const list = useCallback(() => settle(() => keyrite().listTokens()).then((r) => {
    if (r.ok) {
      setTokens(tokenChoices(r.value));
      setError(null);
    } else {
      setTokens([]);
      setError(r.error);
    }
  }), []);
  useEffect(() => { void list(); }, [list]);
  const reload = useCallback(() => {
    setTokens(null);
    void list();
  }, [list]);
  return { tokens, error, reload };
}
