/**
 * Groups of sources: `GET /api/groups` (every group, whoever made it), `GET /api/groups/<id>`,
 * `POST /api/groups` `{"name", "members"}` (members the creator may read), `PUT /api/groups/<id>`
 * (the same body, replacing name and members) and `DELETE /api/groups/<id>`, both by the creator
 * alone. Where groups are kept and what a body may hold: server/groups/.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { GroupJson, GroupsJson } from '../api/types';
import { loadCatalogue, type Catalogue } from '../catalogue';
import { GroupConflictError, parseGroupId, readGroupInput, slugOf, GROUP_PREFIX, findGroup, type Group, type GroupInput, type GroupStore } from '../groups';
import { requireDcs } from '../http/auth';
import type { AppContext } from '../http/context';
import { HttpError } from '../http/errors';
import { refuseUnknownParameters } from '../http/params';
import { badParameter } from '../request-errors';
import type { Principal } from '../session-handle';

export function createGroupsRouter(ctx: AppContext): Router {
  const router = Router();
  const groups = (): GroupStore => ctx.groups;
  router.get('/groups', requireDcs(ctx), async (req: Request, res: Response) => {
    refuseUnknownParameters(req.query, [], 'GET /api/groups');
    const body: GroupsJson = { groups: (await groups().list()).map((group) => groupJson(group, res.locals.principal)) };
    res.json(body);
  });
  router.get('/groups/:id', requireDcs(ctx), async (req: Request, res: Response) => {
    refuseUnknownParameters(req.query, [], 'GET /api/groups/<id>');
    res.json(groupJson(await findGroup(groups(), groupIdOf(req)), res.locals.principal));
  });
  router.post('/groups', requireDcs(ctx), jsonBody, async (req: Request, res: Response) => {
    refuseUnknownParameters(req.query, [], 'POST /api/groups');
    const principal = creator(res.locals.principal);
    const input = readGroupInput(req.body);
    checkMembers(input, await loadCatalogue(res.locals.handle!));
    const now = new Date().toISOString();
    const group: Group = { id: `${GROUP_PREFIX}${slugOf(input.name)}`, ...input, createdBy: principal.username, createdAt: now, updatedAt: now };
    await groups().create(group).catch(conflict);
    res
      .status(201)
      .location(`groups/${encodeURIComponent(group.id)}`)
      .json(groupJson(group, principal));
  });
  router.put('/groups/:id', requireDcs(ctx), jsonBody, async (req: Request, res: Response) => {
    refuseUnknownParameters(req.query, [], 'PUT /api/groups/<id>');
    const existing = await ownGroup(groups(), groupIdOf(req), res.locals.principal, 'change');
    const input = readGroupInput(req.body);
    checkMembers(input, await loadCatalogue(res.locals.handle!));
    const group: Group = { ...existing, ...input, updatedAt: new Date().toISOString() };
    if (!(await groups().update(group).catch(conflict))) throw new HttpError(404, 'not_found', `id: there is no group ${group.id} any more`, 'id');
    res.json(groupJson(group, res.locals.principal));
  });
  router.delete('/groups/:id', requireDcs(ctx), async (req: Request, res: Response) => {
    refuseUnknownParameters(req.query, [], 'DELETE /api/groups/<id>');
    const group = await ownGroup(groups(), groupIdOf(req), res.locals.principal, 'delete');
    await groups().delete(group.id);
    res.status(204).end();
  });
  router.all(['/groups', '/groups/:id'], (req: Request) => {
    throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here; /api/groups takes GET and POST, /api/groups/<id> GET, PUT and DELETE`);
  });
  return router;
}

const readJson = express.json({ limit: '64kb', type: ['application/json', 'application/*+json'] });

/** The JSON body, refused with an example when it is not JSON. */
function jsonBody(req: Request, res: Response, next: NextFunction): void {
  readJson(req, res, (error?: unknown) => {
    const example = 'send {"name": "Engineering electricity", "members": ["R1001", "VM9"]} with Content-Type: application/json';
    if (error instanceof SyntaxError) return next(badParameter('body', `not valid JSON; ${example}`));
    if (error === undefined && !req.is(['application/json', 'application/*+json'])) return next(badParameter('body', example));
    next(error);
  });
}

function groupIdOf(req: Request): string {
  const text = String(req.params.id);
  const id = parseGroupId(text);
  if (id === undefined)
    throw new HttpError(404, 'not_found', `id: '${text}' is not a group id (group:<name>, e.g. group:engineering-elec); GET /api/groups lists them`, 'id');
  return id;
}

function groupJson(group: Group, principal: Principal | undefined): GroupJson {
  return { ...group, editable: principal !== undefined && !principal.public && principal.username === group.createdBy };
}

/** A group is someone's: the public (anonymous) endpoint may use groups but not make them. */
function creator(principal: Principal | undefined): Principal {
  if (!principal || principal.public) {
    throw new HttpError(
      403,
      'forbidden',
      'groups are made by a signed-in DCS user (their creator is the only one who may change them); sign in with POST /api/session',
    );
  }
  return principal;
}

/** The group, when the caller created it; 403 naming the creator otherwise. */
async function ownGroup(groups: GroupStore, id: string, principal: Principal | undefined, what: 'change' | 'delete'): Promise<Group> {
  const group = await findGroup(groups, id);
  const caller = creator(principal);
  if (caller.username !== group.createdBy) {
    throw new HttpError(403, 'forbidden', `${group.id} was created by ${group.createdBy}; only they may ${what} it (you are ${caller.username})`);
  }
  return group;
}

/** Every member must be a source the creator may read: a group of what they cannot see would be a guess. */
function checkMembers(input: GroupInput, catalogue: Catalogue): void {
  input.members.forEach((id, index) => {
    if (!catalogue.byId.has(id)) {
      throw badParameter(
        `members[${index}]`,
        `there is no source ${id} that you may see in DCS; GET /api/sources lists the registers and virtual meters available to you`,
      );
    }
  });
}

function conflict(error: unknown): never {
  if (error instanceof GroupConflictError) throw new HttpError(409, 'conflict', `name: ${error.message}`, 'name');
  throw error;
}
