// The words of a note of a group change ("Alice renamed the group to “Launch”"), in the chat and
// in the conversation list's preview. Names come from the directory; mine is "You".
import type { TFunction } from 'i18next'
import type { GroupNoticeView, Person } from '../../../shared/host-api'

export function groupNoticeText(
  notice: GroupNoticeView,
  actorId: string,
  myId: string | undefined,
  peopleById: Record<string, Person>,
  t: TFunction,
): string {
  const nameOf = (userId: string, subject: boolean): string => {
    if (userId === myId) return t(subject ? 'groupNotice.you' : 'groupNotice.youObject')
    return peopleById[userId]?.name ?? t('chat.unknownSender')
  }
  const actor = nameOf(actorId, true)
  const names = (notice.memberIds ?? [])
    .map((userId) => nameOf(userId, false))
    .join(t('groupNotice.separator'))
  const title = notice.title ?? ''
  return t(`groupNotice.${notice.kind}`, { actor, names, title })
}
