// Who owns a group: its longest-standing member who is a person, which is the creator until they
// leave, then the person who has been in it longest. A micro-app's bot (in the group its app made)
// never owns it. Members are kept in the order they joined, on the server and in every client, so
// this needs no field of its own. Only the owner removes other members; anyone may add people,
// rename the group, or leave.

export function groupOwner(
  memberIds: readonly string[],
  isBot: (userId: string) => boolean,
): string | undefined {
  return memberIds.find((userId) => !isBot(userId))
}
