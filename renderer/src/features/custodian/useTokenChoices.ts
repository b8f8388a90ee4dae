import { useCallback, useEffect, useState } from 'react';
import type { ErrorData } from '../../api';
import { callKeyrite, tokenList, type TokenChoice } from '../../store';

/** Tokens present now (tokens/list), listed when the screen opens and again on request. */
export function useTokenChoices(): { tokens: TokenChoice[] | null; error: ErrorData | null; reload: () => void } {
  const [tokens, setTokens] = useState<TokenChoice[] | null>(null);
  const [error, setError] = useState<ErrorData | null>(null);
  const list = useCallback(() => callKeyrite((api) => api.listTokens()).then((r) => {
    const listed = tokenList(r);
    setTokens(listed.tokens);
    setError(listed.error);
  }), []);
  useEffect(() => { void list(); }, [list]);
  const reload = useCallback(() => {
    setTokens(null);
    void list();
  }, [list]);
  return { tokens, error, reload };
}
