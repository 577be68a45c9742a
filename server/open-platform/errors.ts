// The open platform's error codes, in DingTalk's shape: every answer is JSON with `errcode` (0 when
// it worked) and `errmsg`. The README's micro-app guide lists them.

export const OPEN_API_ERRORS = {
  OK: { errcode: 0, status: 200, errmsg: 'ok' },
  BAD_PARAMS: { errcode: 40035, status: 400, errmsg: 'missing or invalid parameter' },
  BAD_APP_CREDENTIALS: { errcode: 40001, status: 401, errmsg: 'wrong appkey or appsecret' },
  BAD_ACCESS_TOKEN: { errcode: 40014, status: 401, errmsg: 'unknown access_token' },
  ACCESS_TOKEN_EXPIRED: { errcode: 42001, status: 401, errmsg: 'access_token expired' },
  BAD_AUTH_CODE: { errcode: 40078, status: 400, errmsg: 'unknown or already used auth code' },
  AUTH_CODE_EXPIRED: { errcode: 40079, status: 400, errmsg: 'auth code expired' },
  AUTH_CODE_OTHER_APP: { errcode: 40080, status: 400, errmsg: 'auth code belongs to another app' },
  NO_SUCH_USER: { errcode: 60121, status: 404, errmsg: 'no such user' },
  NO_SUCH_CONVERSATION: { errcode: 60020, status: 404, errmsg: 'no such conversation' },
  OTHER_APP_BOT: {
    errcode: 60122,
    status: 400,
    errmsg: "another app's bot cannot be put in a group",
  },
  NOT_IN_CONVERSATION: {
    errcode: 60021,
    status: 403,
    errmsg: 'the app is not in this conversation',
  },
  NO_SUCH_API: { errcode: 40404, status: 404, errmsg: 'no such API' },
  NO_DIRECTORY_WRITE: {
    errcode: 60011,
    status: 403,
    errmsg: 'the app may not change the directory',
  },
} as const

export type OpenApiErrorName = keyof typeof OPEN_API_ERRORS

export class OpenApiError extends Error {
  constructor(
    readonly errorName: OpenApiErrorName,
    detail?: string,
  ) {
    super(detail ?? OPEN_API_ERRORS[errorName].errmsg)
    this.name = 'OpenApiError'
  }
}
