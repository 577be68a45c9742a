// Runs the JS-API methods that live in the host's UI, after the core has checked the call: the
// title bar, toasts, dialogs and pickers. Each returns the DingTalk-shaped result or throws a
// JS-API error (CANCELLED when the person dismisses a dialog).
import { jsApiError, type JsApiErrorPayload } from '../../../shared/jsapi/errors'
import type { TackStore } from '../store/store'

type Params = Record<string, unknown>

export class UiRefusal extends Error {
  constructor(readonly payload: JsApiErrorPayload) {
    super(payload.errorMessage)
  }
}

/** A nav button with `control`: no answer now; the callback fires on each click instead. */
export const ANSWER_ON_CLICK = Symbol('answer on click')

const cancelled = () => new UiRefusal(jsApiError('CANCELLED'))

export async function runUiMethod(
  store: TackStore,
  call: { tabId: string; method: string; params: Params; callId: number },
): Promise<unknown> {
  const state = store.getState()
  const { tabId, method, params } = call
  const ask = async (answerOrCancel?: (answer: unknown) => unknown) => {
    const answer = await state.askUi({ tabId, method, params })
    if (answer === null || answer === undefined) throw cancelled()
    return answerOrCancel ? answerOrCancel(answer) : answer
  }

  switch (method) {
    case 'device.notification.toast':
      state.showToast(String(params.text), toastIcon(params.icon), Number(params.duration ?? 2))
      return {}
    case 'device.notification.showPreloader':
      state.setPreloader(String(params.text ?? ''))
      return {}
    case 'device.notification.hidePreloader':
      state.setPreloader(null)
      return {}
    case 'device.notification.vibrate':
      return {}
    case 'device.base.getSystemInfo':
      return { platform: navigator.platform, language: navigator.language, host: 'tack' }
    case 'biz.navigation.setTitle':
      state.updateTab(tabId, { title: String(params.title) })
      return {}
    case 'biz.navigation.setRight':
    case 'biz.navigation.setLeft': {
      const side = method.endsWith('Right') ? 'right' : 'left'
      const button =
        params.show === false ? null : { text: String(params.text), callId: call.callId }
      state.updateTab(tabId, { [side]: button })
      return params.control && button ? ANSWER_ON_CLICK : {}
    }
    case 'biz.navigation.close':
      state.closeTab(tabId)
      return {}
    case 'biz.chat.openSingleChat':
      await state.openDirectConversation(String(params.userId))
      return {}
    case 'biz.chat.toConversation':
      state.openConversation(String(params.chatId))
      return {}
    case 'biz.clipboardData.setData':
      await navigator.clipboard.writeText(String(params.text))
      return {}
    case 'device.notification.alert':
      await ask()
      return {}
    case 'biz.util.openLink':
      // The click on "Open" in the host's own dialog is the user gesture; then the system browser.
      await ask()
      window.open(String(params.url), '_blank', 'noopener,noreferrer')
      return {}
    case 'biz.util.previewImage':
      await ask()
      return {}
    case 'biz.util.uploadFile': {
      // Picked in the host's dialog, then each uploaded through the core's upload manager.
      const { files } = (await ask()) as { files: File[] }
      return { data: await state.uploadFilesForMicroApp(files) }
    }
    default:
      return ask()
  }
}

function toastIcon(icon: unknown): 'success' | 'error' | null {
  return icon === 'success' || icon === 'error' ? icon : null
}
