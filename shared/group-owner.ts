// Who owns a group: its longest-standing member, which is the creator until they leave, then the
// member who has been in it longest. Members are kept in the order they joined, on the server and
// in every client, so this needs no field of its own. Only the owner removes other members;
// anyone may add people, rename the group, or leave.

export function groupOwner(memberIds: readonly string[]): string | undefined {
  return memberIds[0]
}
