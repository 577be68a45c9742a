// The JS-API catalogue: for each method, its parameter schema, whether the page must have passed
// dd.config first, and where it runs: in the core (free-login, checks) or in the host's UI
// (dialogs, pickers, the tab's title bar). The host checks every call against this before it runs.
import { z } from 'zod'
import type { JsApiMethod } from './methods'

export interface JsApiEntry {
  params: z.ZodType
  /** The page must have passed dd.config, listing this method in its jsApiList. */
  needsConfig: boolean
  runsIn: 'core' | 'ui'
}

const text = (max: number) => z.string().max(max)
const id = z.string().min(1).max(128)
const none = z.object({})
const httpUrl = z
  .string()
  .max(4096)
  .refine((value) => /^https?:\/\//i.test(value), 'only http and https links can be opened')

const buttonLabels = z.array(text(20)).min(1).max(2)

const contactPicker = z.object({
  title: text(100).optional(),
  multiple: z.boolean().optional(),
  /** User ids to show as picked already. */
  users: z.array(id).max(500).optional(),
  max: z.number().int().min(1).max(500).optional(),
  corpId: text(128).optional(),
})

const entry = (
  params: z.ZodType,
  runsIn: JsApiEntry['runsIn'] = 'ui',
  needsConfig = false,
): JsApiEntry => ({ params, runsIn, needsConfig })

export const JSAPI_CATALOGUE: Record<JsApiMethod, JsApiEntry> = {
  config: entry(
    z.object({
      agentId: id,
      corpId: text(128).optional(),
      timeStamp: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,16}$/)]),
      nonceStr: z.string().min(1).max(128),
      signature: z.string().min(1).max(128),
      jsApiList: z.array(text(100)).max(200),
    }),
    'core',
  ),
  checkJsApi: entry(z.object({ jsApiList: z.array(text(100)).min(1).max(200) }), 'core'),
  'runtime.permission.requestAuthCode': entry(
    z.object({ corpId: text(128).optional(), clientId: text(128).optional() }),
    'core',
  ),

  'device.notification.alert': entry(
    z.object({ message: text(2000), title: text(100).optional(), buttonName: text(20).optional() }),
  ),
  'device.notification.confirm': entry(
    z.object({
      message: text(2000),
      title: text(100).optional(),
      buttonLabels: buttonLabels.optional(),
    }),
  ),
  'device.notification.prompt': entry(
    z.object({
      message: text(2000),
      title: text(100).optional(),
      defaultText: text(2000).optional(),
      buttonLabels: buttonLabels.optional(),
    }),
  ),
  'device.notification.toast': entry(
    z.object({
      text: z.string().min(1).max(200),
      icon: z.enum(['success', 'error']).optional(),
      duration: z.number().min(0.5).max(10).optional(),
    }),
  ),
  'device.notification.actionSheet': entry(
    z.object({
      title: text(100).optional(),
      cancelButton: text(20),
      otherButtons: z.array(text(40)).min(1).max(10),
    }),
  ),
  'device.notification.showPreloader': entry(z.object({ text: text(100).optional() })),
  'device.notification.hidePreloader': entry(none),
  'device.notification.vibrate': entry(z.object({ duration: z.number().optional() })),
  'device.base.getSystemInfo': entry(none),
  'device.base.getUUID': entry(none, 'core'),
  'device.connection.getNetworkType': entry(none, 'core'),

  'biz.navigation.setTitle': entry(z.object({ title: text(100) })),
  'biz.navigation.setRight': entry(
    z.object({ show: z.boolean().optional(), control: z.boolean().optional(), text: text(20) }),
  ),
  'biz.navigation.setLeft': entry(
    z.object({ show: z.boolean().optional(), control: z.boolean().optional(), text: text(20) }),
  ),
  'biz.navigation.close': entry(none),

  'biz.contact.choose': entry(contactPicker, 'ui', true),
  'biz.contact.complexPicker': entry(contactPicker, 'ui', true),
  'biz.contact.departmentsPicker': entry(
    z.object({ title: text(100).optional(), multiple: z.boolean().optional() }),
    'ui',
    true,
  ),
  'biz.chat.pickConversation': entry(z.object({ corpId: text(128).optional() }), 'ui', true),
  'biz.chat.openSingleChat': entry(z.object({ userId: id }), 'ui', true),
  'biz.chat.toConversation': entry(z.object({ chatId: id }), 'ui', true),

  'biz.util.openLink': entry(z.object({ url: httpUrl }), 'ui', true),
  // The person picks the files in the host's dialog; the upload manager sends them.
  'biz.util.uploadFile': entry(z.object({ multiple: z.boolean().optional() }), 'ui', true),
  'biz.util.previewImage': entry(
    z.object({ urls: z.array(httpUrl).min(1).max(50), current: httpUrl.optional() }),
  ),
  'biz.util.datepicker': entry(
    z.object({
      format: z.literal('yyyy-MM-dd').optional(),
      value: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'value must be yyyy-MM-dd')
        .optional(),
    }),
  ),
  'biz.util.timepicker': entry(
    z.object({
      format: z.literal('HH:mm').optional(),
      value: z
        .string()
        .regex(/^\d{2}:\d{2}$/, 'value must be HH:mm')
        .optional(),
    }),
  ),
  'biz.util.chosen': entry(
    z.object({
      source: z
        .array(z.object({ key: text(100), value: text(100) }))
        .min(1)
        .max(100),
      selectedKey: text(100).optional(),
    }),
  ),
  'biz.clipboardData.setData': entry(z.object({ text: text(100_000) }), 'ui', true),
}

/** Methods any page may call without being listed: the bridge's own. */
export const ALWAYS_ALLOWED: readonly JsApiMethod[] = ['config', 'checkJsApi']
