/**
 * The environment for planning a synthesized stack offline: fake credentials, the provider's skip
 * flags (TABLESAFE_OFFLINE), a fixed account id, and no endpoint or remote backend inherited from
 * the caller's shell. Plans only; nothing can be applied with it.
 */
export function offlinePlanEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TABLESAFE_OFFLINE: '1',
    TABLESAFE_ACCOUNT_ID: '123456789012',
    AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-for-offline-plan',
    AWS_ENDPOINT_URL: undefined,
    TABLESAFE_BACKEND: undefined,
    TABLESAFE_ENDPOINT: undefined,
  };
}
