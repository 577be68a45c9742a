// The words of a note of a group change ("Alice renamed the group to “Launch”"), in the chat and
// in the conversation list's preview. Names come from the directory; mine is "You", named last
// among those added or removed ("吴磊 and you", "吴磊和你"), listed the way the language lists.
import type { TFunction } from 'i18next'
import type { GroupNoticeView, Person } from '../../../shared/host-api'

export function groupNoticeText(
  notice: GroupNoticeView,
  actorId: string,
  reader: { myId: string | undefined; language: string },
  peopleById: Record<string, Person>,
  t: TFunction,
): string {
  const nameOf = (userId: string, subject: boolean): string => {
    if (userId === reader.myId) return t(subject ? 'groupNotice.you' : 'groupNotice.youObject')
    return peopleById[userId]?.name ?? t('chat.unknownSender')
  }
  const others = (notice.memberIds ?? []).filter((userId) => userId !== reader.myId)
  const meToo = others.length < (notice.memberIds ?? []).length
  const names = new Intl.ListFormat(reader.language, { type: 'conjunction' }).format([
    ...others.map((userId) => nameOf(userId, false)),
    ...(meToo ? [nameOf(reader.myId!, false)] : []),
  ])
  return t(`groupNotice.${notice.kind}`, {
    actor: nameOf(actorId, true),
    names,
    title: notice.title ?? '',
  })
}
