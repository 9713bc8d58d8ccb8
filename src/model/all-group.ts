/**
 * The group external id `all`: the spec's default of `{external_id}` in every `…/group/{external_id}` read (the
 * Cocos SDK asks for `…/group/all` when no group is chosen). A project's own group with that id is read like any
 * group; without one, `all` means every item the read would list without a group filter
 * (docs/decisions/0022-group-all.md).
 */
export const ALL_GROUP = 'all';

/** True when `externalId` stands for every item rather than a group of the project (`hasGroup` looks it up). */
export function meansAllGroups(externalId: string, hasGroup: (externalId: string) => boolean): boolean {
  return externalId === ALL_GROUP && !hasGroup(ALL_GROUP);
}
