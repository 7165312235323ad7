/**
 * DCS user accounts of the simulator, their meter restrictions, and the sessions signed in
 * with them. Sessions run on the wall clock (see SimulatorOptions.now).
 */

import { randomBytes } from 'node:crypto';
import { DEMO_ACCOUNTS, PUBLIC_ACCOUNT_NAME } from './demo';
import { Estate } from './estate';
import { VIEWER_BUILDINGS } from './estate';

export interface Account {
  username: string;
  password: string;
  role: string;
  /** Buildings whose meters this account may see; undefined = all. */
  buildings?: ReadonlySet<string>;
  /** Set for an account whose access has ended: every query answers 403. */
  expiredOn?: string;
}

export function demoAccounts(accountExpiry: string): Account[] {
  return DEMO_ACCOUNTS.map((demo) => ({
    username: demo.username,
    password: demo.password,
    role: demo.role,
    buildings: demo.username === 'viewer' ? VIEWER_BUILDINGS : undefined,
    expiredOn: demo.username === 'expired' ? accountExpiry : undefined,
  }));
}

export const PUBLIC_ACCOUNT: Account = { username: PUBLIC_ACCOUNT_NAME, password: '', role: 'Viewer' };

export function canSeeMeter(account: Account, estate: Estate, meterId: number): boolean {
  return account.buildings === undefined || account.buildings.has(estate.buildingOfMeter.get(meterId) ?? '');
}

export function canSeeRegister(account: Account, estate: Estate, registerId: number): boolean {
  const register = estate.registers.get(registerId);
  return register !== undefined && canSeeMeter(account, estate, register.meter.id);
}

/** A virtual meter is visible only if every register it reads is. */
export function canSeeVirtualMeter(account: Account, estate: Estate, virtualMeterId: number): boolean {
  const vm = estate.virtualMeterById.get(virtualMeterId);
  return vm !== undefined && vm.registerIds.every((id) => canSeeRegister(account, estate, id));
}

interface Session {
  account: Account;
  /** Wall-clock ms; Infinity = never. */
  expiresAt: number;
}

export type SessionLookup = { account: Account } | { expired: true } | undefined;

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly ttlSeconds: number | undefined,
    private readonly wallClock: () => number = Date.now,
  ) {}

  create(account: Account): { token: string; expiresAt: number } {
    if (this.sessions.size > 10_000) this.prune();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = this.ttlSeconds === undefined ? Infinity : this.wallClock() + this.ttlSeconds * 1000;
    this.sessions.set(token, { account, expiresAt });
    return { token, expiresAt };
  }

  lookup(token: string | undefined): SessionLookup {
    if (token === undefined) return undefined;
    const session = this.sessions.get(token);
    if (!session) return undefined;
    if (this.wallClock() >= session.expiresAt) return { expired: true };
    return { account: session.account };
  }

  revoke(token: string | undefined): void {
    if (token !== undefined) this.sessions.delete(token);
  }

  expireAll(): void {
    for (const session of this.sessions.values()) session.expiresAt = 0;
  }

  private prune(): void {
    const now = this.wallClock();
    for (const [token, session] of this.sessions) if (now >= session.expiresAt) this.sessions.delete(token);
  }
}
