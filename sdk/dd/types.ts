// The dd SDK's public types: what a micro-app's TypeScript sees. Self-contained (no imports), so
// the build emits it as dd.d.ts beside dd.js. Names and shapes follow DingTalk's JS-API.

export interface JsApiError {
  /** A stable number, documented in the README's micro-app guide (1001 UNKNOWN_APP, …). */
  errorCode: number
  /** The code's name, e.g. "PERMISSION_DENIED". */
  error: string
  errorMessage: string
}

export interface Callbacks<R> {
  onSuccess?: (result: R) => void
  onFail?: (error: JsApiError) => void
}

export interface ConfigParams {
  agentId: string
  corpId?: string
  /** Milliseconds since the epoch, as signed. */
  timeStamp: number | string
  nonceStr: string
  /** sha1 hex over `jsapi_ticket=…&noncestr=…&timestamp=…&url=…`; your backend computes it. */
  signature: string
  /** The methods this page will call that need dd.config. */
  jsApiList: string[]
}

export interface PickedUser {
  emplId: string
  name: string
  avatar: string
}

export interface JsApiParams {
  checkJsApi: { jsApiList: string[] }
  'runtime.permission.requestAuthCode': { corpId?: string; clientId?: string }
  'device.notification.alert': { message: string; title?: string; buttonName?: string }
  'device.notification.confirm': { message: string; title?: string; buttonLabels?: string[] }
  'device.notification.prompt': {
    message: string
    title?: string
    defaultText?: string
    buttonLabels?: string[]
  }
  'device.notification.toast': { text: string; icon?: 'success' | 'error'; duration?: number }
  'device.notification.actionSheet': {
    title?: string
    cancelButton: string
    otherButtons: string[]
  }
  'device.notification.showPreloader': { text?: string }
  'device.notification.hidePreloader': Record<string, never>
  'device.notification.vibrate': { duration?: number }
  'device.base.getSystemInfo': Record<string, never>
  'device.base.getUUID': Record<string, never>
  'device.connection.getNetworkType': Record<string, never>
  'biz.navigation.setTitle': { title: string }
  'biz.navigation.setRight': { show?: boolean; control?: boolean; text: string }
  'biz.navigation.setLeft': { show?: boolean; control?: boolean; text: string }
  'biz.navigation.close': Record<string, never>
  'biz.contact.choose': {
    title?: string
    multiple?: boolean
    users?: string[]
    max?: number
    corpId?: string
  }
  'biz.contact.complexPicker': JsApiParams['biz.contact.choose']
  'biz.contact.departmentsPicker': { title?: string; multiple?: boolean }
  'biz.chat.pickConversation': { corpId?: string }
  'biz.chat.openSingleChat': { userId: string }
  'biz.chat.toConversation': { chatId: string }
  'biz.util.openLink': { url: string }
  'biz.util.uploadFile': { multiple?: boolean }
  'biz.util.previewImage': { urls: string[]; current?: string }
  'biz.util.datepicker': { format?: 'yyyy-MM-dd'; value?: string }
  'biz.util.timepicker': { format?: 'HH:mm'; value?: string }
  'biz.util.chosen': { source: { key: string; value: string }[]; selectedKey?: string }
  'biz.clipboardData.setData': { text: string }
}

export interface JsApiResults {
  checkJsApi: Record<string, boolean>
  'runtime.permission.requestAuthCode': { code: string }
  'device.notification.alert': Record<string, never>
  'device.notification.confirm': { buttonIndex: number }
  'device.notification.prompt': { buttonIndex: number; value: string }
  'device.notification.toast': Record<string, never>
  'device.notification.actionSheet': { buttonIndex: number }
  'device.notification.showPreloader': Record<string, never>
  'device.notification.hidePreloader': Record<string, never>
  'device.notification.vibrate': Record<string, never>
  'device.base.getSystemInfo': { platform: string; language: string; host: string }
  'device.base.getUUID': { uuid: string }
  'device.connection.getNetworkType': { result: 'wifi' | 'none' }
  'biz.navigation.setTitle': Record<string, never>
  'biz.navigation.setRight': Record<string, never>
  'biz.navigation.setLeft': Record<string, never>
  'biz.navigation.close': Record<string, never>
  'biz.contact.choose': PickedUser[]
  'biz.contact.complexPicker': { users: PickedUser[]; departments: { id: string; name: string }[] }
  'biz.contact.departmentsPicker': { departments: { id: string; name: string }[] }
  'biz.chat.pickConversation': { cid: string; title: string }
  'biz.chat.openSingleChat': Record<string, never>
  'biz.chat.toConversation': Record<string, never>
  'biz.util.openLink': Record<string, never>
  'biz.util.uploadFile': { data: unknown[] }
  'biz.util.previewImage': Record<string, never>
  'biz.util.datepicker': { value: string }
  'biz.util.timepicker': { value: string }
  'biz.util.chosen': { key: string; value: string }
  'biz.clipboardData.setData': Record<string, never>
}

export type JsApiName = keyof JsApiParams

/** One method: DingTalk-style callbacks in the parameters, and a promise as well. */
export type JsApiFunction<M extends JsApiName> = (
  params?: JsApiParams[M] & Callbacks<JsApiResults[M]>,
) => Promise<JsApiResults[M]>

type Nest<Path extends string, F> = Path extends `${infer Head}.${infer Rest}`
  ? { [K in Head]: Nest<Rest, F> }
  : { [K in Path]: F }

type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (
  value: infer I,
) => void
  ? I
  : never

type Namespaces = UnionToIntersection<
  { [M in JsApiName]: Nest<M, JsApiFunction<M>> }[Exclude<JsApiName, 'checkJsApi'>]
>

export type Dd = Namespaces & {
  /** Signs the page in to the JS-API; methods that need it wait for the answer. */
  config(params: ConfigParams): void
  /** Runs once the bridge is up and dd.config (if called) succeeded. */
  ready(callback: () => void): void
  /** Runs if dd.config is refused. */
  error(callback: (error: JsApiError) => void): void
  checkJsApi: JsApiFunction<'checkJsApi'>
  /** The host this page runs in: "tack". */
  readonly env: { platform: 'tack'; transport: 'electron' | 'iframe' | 'none' }
}
