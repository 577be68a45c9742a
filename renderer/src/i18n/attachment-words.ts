// The words for an attachment sent without text, in the UI's language, for the rule in
// shared/message-notice.ts: the conversation list's preview and browser mode's notifications.
import type { TFunction } from 'i18next'
import type { AttachmentWords } from '../../../shared/message-notice'

export function attachmentWords(t: TFunction): AttachmentWords {
  return {
    image: t('attachments.previewImage'),
    voice: t('attachments.previewVoice'),
    voiceOfLength: (length) => t('attachments.previewVoiceLength', { length }),
    file: (name) => t('attachments.previewFile', { name }),
  }
}
