// Error codes a JS-API call can fail with. A micro-app's `onFail` (or the rejected promise) gets
// `{ errorCode, errorMessage }`: the number for code, the text for people. Never renumber one.

export const JSAPI_ERRORS = {
  UNKNOWN_APP: { errorCode: 1001, message: 'this page is not a micro-app the host knows' },
  ORIGIN_NOT_ALLOWED: { errorCode: 1002, message: "the page's origin is not one the app allows" },
  UNKNOWN_METHOD: { errorCode: 1003, message: 'no such JS-API method' },
  BAD_PARAMS: { errorCode: 1004, message: 'the parameters do not match the method' },
  PERMISSION_DENIED: { errorCode: 1005, message: 'the method is not in the allowed jsApiList' },
  NOT_CONFIGURED: { errorCode: 1006, message: 'call dd.config with a valid signature first' },
  BAD_SIGNATURE: { errorCode: 1007, message: 'dd.config signature refused' },
  CANCELLED: { errorCode: 1008, message: 'the user cancelled' },
  NOT_SUPPORTED: { errorCode: 1009, message: 'not supported by this host yet' },
  NOT_SIGNED_IN: { errorCode: 1010, message: 'nobody is signed in to Tack' },
  HOST_ERROR: { errorCode: 1011, message: 'the host could not do it' },
} as const

export type JsApiErrorName = keyof typeof JSAPI_ERRORS

export interface JsApiErrorPayload {
  errorCode: number
  /** The name of the code, e.g. PERMISSION_DENIED. */
  error: JsApiErrorName
  errorMessage: string
}

export function jsApiError(name: JsApiErrorName, detail?: string): JsApiErrorPayload {
  const known = JSAPI_ERRORS[name]
  return {
    errorCode: known.errorCode,
    error: name,
    errorMessage: detail ? `${known.message}: ${detail}` : known.message,
  }
}
