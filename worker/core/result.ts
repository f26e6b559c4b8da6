// The one result shape of every rule and object command: a value, or an error the API
// answers as it is (status, code, message). Objects return these across RPC instead of
// throwing, because a thrown error loses its status and code on the way back.

export type ContractError<S extends number = 403 | 404 | 409> = {
  status: S;
  code: string;
  message: string;
  details?: Record<string, unknown>;
};

export type Result<T, E extends ContractError<number> = ContractError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T) => ({ ok: true, value }) as const;

export const fail = <S extends number>(status: S, code: string, message: string, details?: Record<string, unknown>) =>
  ({ ok: false, error: { status, code, message, ...(details ? { details } : {}) } }) as const;
