/**
 * A request's ids, groups included, as the sources to pull: a plain source id stays itself; a
 * group becomes its members one by one, or (`combine=sum`) one summed series of its members.
 * Access is the caller's own: their DCS catalogue decides which members they may read. One by
 * one, members they may not read are left out; a sum that would need one is refused (403) rather
 * than quietly short. A sum needs one unit: members in different units are refused (400, naming
 * each unit and its members).
 */
import { findSource, type Catalogue, type CatalogueSource } from '../catalogue';
import { HttpError } from '../http/errors';
import { badParameter } from '../request-errors';
import { parseGroupId, type Group } from './group';
import type { GroupStore } from './store';

/** How a group's members are answered: one series each, or summed into one. */
export type Combine = 'members' | 'sum';

/** A group's members summed into one series (or one figure). */
export interface GroupSum {
  group: Group;
  /** Every member, each one the caller may read. */
  members: CatalogueSource[];
  unit: string;
}

/** What one entry of a request answers: a source, or a group's sum. */
export type Target = CatalogueSource | GroupSum;

export function isGroupSum(target: Target): target is GroupSum {
  return 'members' in target;
}

/** The id a target answers under: `R733`, `group:engineering-elec`. */
export function targetId(target: Target): string {
  return isGroupSum(target) ? target.group.id : target.id;
}

/** The `combine` parameter: absent or `members` = one series per member; `sum` = their sum. */
export function parseCombine(text: string | undefined): Combine {
  if (text === undefined || text.trim() === '') return 'members';
  const lower = text.trim().toLowerCase();
  if (lower === 'sum' || lower === 'members') return lower;
  throw badParameter(
    'combine',
    `'${text}' is not a way to combine a group; use combine=sum (one series, the members' sum) or leave it out (one series per member)`,
  );
}

/** The group an id names, or a 404 saying where the groups are listed. */
export async function findGroup(groups: GroupStore, id: string): Promise<Group> {
  const group = await groups.get(id);
  if (!group) throw new HttpError(404, 'not_found', `id: there is no group ${id}; GET /api/groups lists the groups`, 'id');
  return group;
}

/**
 * The targets of a request's ids (already through `sourceIdsParameter`), in the order asked, each
 * source at most once; at most `maxSources` sources in all (a sum's members count each).
 */
export async function resolveTargets(
  groups: GroupStore,
  catalogue: Catalogue,
  ids: readonly string[],
  combine: Combine,
  maxSources: number,
): Promise<Target[]> {
  const targets: Target[] = [];
  const seen = new Set<string>();
  const add = (target: Target): void => {
    if (seen.has(targetId(target))) return;
    seen.add(targetId(target));
    targets.push(target);
  };
  let anyGroup = false;
  for (const id of ids) {
    const groupId = parseGroupId(id);
    if (groupId === undefined) {
      add(findSource(catalogue, id));
      continue;
    }
    anyGroup = true;
    const group = await findGroup(groups, groupId);
    if (combine === 'sum') add(groupSum(group, catalogue));
    else readableMembers(group, catalogue).forEach(add);
  }
  if (combine === 'sum' && !anyGroup) throw badParameter('combine', 'sum adds up the members of a group; give a group id (group:<name>) or leave combine out');
  const count = targets.reduce((n, target) => n + (isGroupSum(target) ? target.members.length : 1), 0);
  if (count > maxSources) throw badParameter('id', `${count} sources in one call (groups' members included); ask for at most ${maxSources} at a time`);
  return targets;
}

/** The group's members the caller may read; a 403 when there is none. */
export function readableMembers(group: Group, catalogue: Catalogue): CatalogueSource[] {
  const readable = group.members.flatMap((id) => catalogue.byId.get(id) ?? []);
  if (readable.length === 0) throw new HttpError(403, 'forbidden', `id: you may not read any member of ${group.id} (${group.members.join(', ')}) in DCS`, 'id');
  return readable;
}

/** The group as one sum: every member readable by the caller, all in one unit, all cumulative. */
export function groupSum(group: Group, catalogue: Catalogue): GroupSum {
  const hidden = group.members.filter((id) => !catalogue.byId.has(id));
  if (hidden.length > 0) {
    throw new HttpError(
      403,
      'forbidden',
      `id: the sum of ${group.id} would include ${hidden.join(', ')}, which you may not read in DCS (or which no longer exists there); a sum without ${hidden.length === 1 ? 'it' : 'them'} would be short, so it is refused. Leave combine=sum out for the members you may read, one by one`,
      'id',
    );
  }
  const members = group.members.map((id) => catalogue.byId.get(id)!);
  const byUnit = new Map<string, string[]>();
  for (const member of members) byUnit.set(member.unit, [...(byUnit.get(member.unit) ?? []), member.id]);
  if (byUnit.size > 1) {
    const units = [...byUnit].map(([unit, ids]) => `${unit || 'no unit'}: ${ids.join(', ')}`).join('; ');
    throw badParameter(
      'combine',
      `sum needs the members of ${group.id} in one unit, and they are in ${byUnit.size} (${units}); leave combine=sum out for one series per member`,
    );
  }
  const instantaneous = members.filter((member) => member.isInstantaneous);
  if (instantaneous.length > 0 && instantaneous.length < members.length) {
    throw badParameter(
      'combine',
      `sum needs the members of ${group.id} all of one kind, and ${instantaneous.map((m) => m.id).join(', ')} ${instantaneous.length === 1 ? 'is an instantaneous source' : 'are instantaneous sources'} (a value at an instant) beside consumption sources`,
    );
  }
  return { group, members, unit: members[0].unit };
}

/** Plain sources only: a request through `resolveTargets` without sums, for surfaces that pull sources one by one. */
export async function resolveMemberSources(groups: GroupStore, catalogue: Catalogue, ids: readonly string[], maxSources: number): Promise<CatalogueSource[]> {
  return (await resolveTargets(groups, catalogue, ids, 'members', maxSources)) as CatalogueSource[];
}
