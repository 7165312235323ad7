/**
 * Where groups are kept: one interface, two places (PostgreSQL with DATABASE_URL, else a JSON file
 * in DATA_DIR). Neither checks who may do what: the route does (only the creator changes a group).
 */
import type { Group } from './group';

export interface GroupStore {
  /** Every group, oldest first. */
  list(): Promise<Group[]>;
  get(id: string): Promise<Group | undefined>;
  /** Adds a group; throws GroupConflictError when its id (its name's slug) is taken. */
  create(group: Group): Promise<void>;
  /**
   * Replaces a group's name, members and updatedAt (its id, creator and createdAt stay). False when
   * it no longer exists; throws GroupConflictError when the new name belongs to another group.
   */
  update(group: Group): Promise<boolean>;
  /** False when there was nothing to delete. */
  delete(id: string): Promise<boolean>;
  close(): Promise<void>;
}

/** A group's id or name is already another group's. */
export class GroupConflictError extends Error {
  constructor(readonly existing: Pick<Group, 'id' | 'name' | 'createdBy'>) {
    super(`a group named "${existing.name}" (${existing.id}, created by ${existing.createdBy}) already exists; choose another name`);
    this.name = 'GroupConflictError';
  }
}

/** Two names that differ only in case, spacing or punctuation would be confused: one key for both. */
export function nameKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
