// The names of the JS-API methods, without their schemas, for the dd SDK (which ships no zod).
// catalogue.ts gives each its parameter schema; the two lists are checked equal by its type.

export const JSAPI_METHODS = [
  'config',
  'checkJsApi',
  'runtime.permission.requestAuthCode',
  'device.notification.alert',
  'device.notification.confirm',
  'device.notification.prompt',
  'device.notification.toast',
  'device.notification.actionSheet',
  'device.notification.showPreloader',
  'device.notification.hidePreloader',
  'device.notification.vibrate',
  'device.base.getSystemInfo',
  'device.base.getUUID',
  'device.connection.getNetworkType',
  'biz.navigation.setTitle',
  'biz.navigation.setRight',
  'biz.navigation.setLeft',
  'biz.navigation.close',
  'biz.contact.choose',
  'biz.contact.complexPicker',
  'biz.contact.departmentsPicker',
  'biz.chat.pickConversation',
  'biz.chat.openSingleChat',
  'biz.chat.toConversation',
  'biz.util.openLink',
  'biz.util.uploadFile',
  'biz.util.previewImage',
  'biz.util.datepicker',
  'biz.util.timepicker',
  'biz.util.chosen',
  'biz.clipboardData.setData',
] as const

export type JsApiMethod = (typeof JSAPI_METHODS)[number]

export function isJsApiMethod(name: unknown): name is JsApiMethod {
  return typeof name === 'string' && (JSAPI_METHODS as readonly string[]).includes(name)
}
