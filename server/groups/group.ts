/**
 * A group: a named set of sources (`group:engineering-elec`), shared by every user, changed only by
 * the user who created it. This module is the one definition of a group's id grammar and of what a
 * request to create or change one may hold; storage is elsewhere (file-store.ts, pg-store.ts).
 */
import { parseSourceId } from 'dcs-client';
import { badParameter } from '../request-errors';

/** A group as stored and as `GET /api/groups` answers it (server/api/types.ts `GroupJson`). */
export interface Group {
  /** `group:<slug>`, made from the name when the group is created; it never changes. */
  id: string;
  name: string;
  /** Normalised source ids (`R733`, `VM9`), in the order given. */
  members: string[];
  /** DCS user name of the creator: the only user who may change or delete it. */
  createdBy: string;
  /** ISO 8601, UTC. */
  createdAt: string;
  /** ISO 8601, UTC: the last change (equal to createdAt until the first). */
  updatedAt: string;
}

/** What a caller gives to create a group, or to replace its name and members. */
export interface GroupInput {
  name: string;
  members: string[];
}

export const GROUP_PREFIX = 'group:';
/** Most members in one group: one request may name at most this many sources anyway. */
export const MAX_GROUP_MEMBERS = 50;
export const MAX_GROUP_NAME = 100;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_SLUG = 60;

/** The slug of a name: lower case letters and digits, other runs of characters as one hyphen. */
export function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/, '');
}

/** `group:<slug>` normalised to lower case, or undefined when `text` is not a group id. */
export function parseGroupId(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.slice(0, GROUP_PREFIX.length).toLowerCase() !== GROUP_PREFIX) return undefined;
  const slug = trimmed.slice(GROUP_PREFIX.length).toLowerCase();
  return SLUG.test(slug) && slug.length <= MAX_SLUG ? `${GROUP_PREFIX}${slug}` : undefined;
}

/** Whether an id names a group rather than a source (whether or not it is well formed). */
export function looksLikeGroupId(text: string): boolean {
  return text.trim().slice(0, GROUP_PREFIX.length).toLowerCase() === GROUP_PREFIX;
}

const INPUT_FIELDS = ['name', 'members'];
const EXAMPLE = '{"name": "Engineering electricity", "members": ["R1001", "VM9"]}';

/**
 * The body of `POST /api/groups` or `PUT /api/groups/<id>`, checked strictly: exactly the fields
 * `name` and `members`, a name that makes a slug, members that are source ids (the one grammar,
 * `parseSourceId`; a group cannot hold a group), at least one, none twice.
 */
export function readGroupInput(body: unknown): GroupInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badParameter('body', `send a JSON object, e.g. ${EXAMPLE}`);
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !INPUT_FIELDS.includes(key));
  if (unknown.length > 0) {
    const named = unknown.map((key) => `'${key}'`).join(', ');
    throw badParameter(unknown[0], `${named} ${unknown.length === 1 ? 'is not a field' : 'are not fields'} of a group; a group has only name and members`);
  }
  return { name: readName(fields.name), members: readMembers(fields.members) };
}

function readName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw badParameter('name', `missing; give the group a name, e.g. ${EXAMPLE}`);
  const name = value.trim().replace(/\s+/g, ' ');
  if (name.length > MAX_GROUP_NAME) throw badParameter('name', `${name.length} characters is longer than a group's name may be (${MAX_GROUP_NAME})`);
  if (slugOf(name) === '') throw badParameter('name', `'${name}' has no letter or digit to make the group's id from; use e.g. "Engineering electricity"`);
  return name;
}

function readMembers(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw badParameter('members', `give at least one source id, e.g. ${EXAMPLE}`);
  if (value.length > MAX_GROUP_MEMBERS) throw badParameter('members', `${value.length} members is more than a group may hold (${MAX_GROUP_MEMBERS})`);
  const members: string[] = [];
  value.forEach((entry, index) => {
    const parsed = typeof entry === 'string' ? parseSourceId(entry.trim()) : undefined;
    if (!parsed) {
      const shown = typeof entry === 'string' ? `'${entry}'` : JSON.stringify(entry);
      const why =
        typeof entry === 'string' && looksLikeGroupId(entry)
          ? 'a group cannot be a member of a group'
          : 'use R<register id> or VM<virtual meter id>, e.g. R733 or VM9';
      throw badParameter(`members[${index}]`, `${shown} is not a source id; ${why}`);
    }
    if (members.includes(parsed.id)) throw badParameter(`members[${index}]`, `${parsed.id} is named twice; name each source once`);
    members.push(parsed.id);
  });
  return members;
}
