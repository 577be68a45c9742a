// The demo micro-app every fresh server knows: the task list in demo-microapp/. Its key and secret
// are fixed and public, like the demo accounts' password; a real app's are made at registration.
import type { Storage } from '../storage/storage'
import { hashSecret } from './credentials'

export const DEMO_MICROAPP = {
  agentId: 'demo-tasks',
  appKey: 'demo-tasks-key',
  appSecret: 'demo-tasks-secret',
  /** Where `npm run demo-microapp` serves it unless told otherwise. */
  defaultUrl: 'http://127.0.0.1:7480/',
} as const

/** The JS-API methods the demo app may call; biz.chat.pickConversation is left out on purpose. */
export const DEMO_MICROAPP_JSAPI = [
  'runtime.permission.requestAuthCode',
  'biz.contact.choose',
  'biz.navigation.setTitle',
  'biz.navigation.setRight',
  'biz.util.openLink',
  'biz.util.datepicker',
  'device.notification.toast',
  'device.notification.confirm',
  'device.notification.alert',
  'device.notification.prompt',
  'device.base.getSystemInfo',
]

/** Registers the demo app at `homeUrl`, or moves it there. */
export function registerDemoMicroApp(storage: Storage, homeUrl: string = DEMO_MICROAPP.defaultUrl) {
  storage.saveMicroApp({
    agentId: DEMO_MICROAPP.agentId,
    name: '任务',
    nameEn: 'Tasks',
    icon: '✅',
    description: 'Demo micro-app: a shared task list',
    homeUrl,
    allowedOrigins: [new URL(homeUrl).origin],
    jsApiList: DEMO_MICROAPP_JSAPI,
    appKey: DEMO_MICROAPP.appKey,
    appSecretHash: hashSecret(DEMO_MICROAPP.appSecret),
    botUserId: `app-${DEMO_MICROAPP.agentId}`,
  })
}
