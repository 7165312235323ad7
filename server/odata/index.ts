/**
 * The OData v4 feed at /odata, for Excel's and Power BI's built-in OData connectors and for the
 * DCS custom connector. Every resource, the service document and $metadata included, needs the
 * same authentication as /api (Basic, a session, or public access when the server allows it),
 * and the service document and $metadata also check that the account can read something, so
 * Power BI's credential test on the service root tells the truth about what a refresh will be
 * able to read (401 wrong password, 403 expired or fully restricted account, with the reason).
 *
 *   /odata/                     service document
 *   /odata/$metadata            CSDL XML
 *   /odata/<Set>                Sources, Meters, VirtualMeters, Readings, Intervals (paged)
 *   /odata/<Set>/$count         a plain-text count
 *   /odata/<Set>(<key>)         one Source, Meter or VirtualMeter
 */
import { emissionFactorsOf } from '../analysis/carbon';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { DcsForbiddenError } from 'dcs-client';
import { requireDcs } from '../http/auth';
import type { AppContext } from '../http/context';
import { stalledReaderMs } from '../dcs-settings';
import { readingsCallOptions } from '../http/readings-calls';
import { readingsReader } from '../http/stored-readings';
import { serveSmallSet, serveSmallSetCount, serveSmallSetEntity } from './collections';
import { renderMetadata } from './csdl';
import { ODataError, sendODataError } from './errors';
import { CollectionWriter } from './json-writer';
import { ENTITY_SETS, findEntitySet, type EntitySetDef } from './model';
import { checkAcceptable, METADATA_CONTENT_TYPE, ODATA_VERSION_HEADERS, serviceRoot, useODataQuery, wantsIeee754Compatible } from './protocol';
import { serveIntervals, serveIntervalsCount } from './intervals-page';
import { callerSources, serveReadings, serveReadingsCount, type ReadingsSettings } from './readings-page';
import type { DcsHandle } from '../session-handle';

export interface ODataOptions {
  /** Rows per page; default the server's ODATA_PAGE_SIZE setting. */
  pageSize?: number;
}

type Resource =
  | { kind: 'serviceDocument' }
  | { kind: 'metadata' }
  | { kind: 'collection'; set: EntitySetDef }
  | { kind: 'count'; set: EntitySetDef }
  | { kind: 'entity'; set: EntitySetDef; key: string };

function setNamed(name: string): EntitySetDef {
  const set = findEntitySet(name);
  if (set) return set;
  const lower = ENTITY_SETS.find((s) => s.name.toLowerCase() === name.toLowerCase());
  const hint = lower ? ` (names are case-sensitive: ${lower.name})` : '';
  throw new ODataError(404, 'not_found', `/odata/${name} does not exist${hint}; the entity sets are ${ENTITY_SETS.map((s) => s.name).join(', ')}`);
}

/** Which resource a path names, or a 404 that lists what exists. */
export function resolveResource(path: string): Resource {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw new ODataError(400, 'bad_request', `the path ${path} is not valid percent-encoding`);
  }
  const trimmed = decoded.replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === '') return { kind: 'serviceDocument' };
  if (trimmed === '$metadata') return { kind: 'metadata' };
  const keyed = /^([A-Za-z]+)\((.*)\)$/.exec(trimmed);
  if (keyed) {
    const set = setNamed(keyed[1]);
    if (set.name === 'Readings') {
      throw new ODataError(
        400,
        'bad_request',
        "single readings are not addressed by key; query Readings with $filter (SourceId eq 'R1' and Timestamp ge ... and Timestamp lt ...)",
      );
    }
    if (set.name === 'Intervals') {
      throw new ODataError(
        400,
        'bad_request',
        "single intervals are not addressed by key; query Intervals with $filter (SourceId eq 'R1' and Start ge ... and Start lt ...) and interval=",
      );
    }
    return { kind: 'entity', set, key: keyed[2] };
  }
  const segments = trimmed.split('/');
  if (segments.length === 2 && segments[1] === '$count') return { kind: 'count', set: setNamed(segments[0]) };
  if (segments.length === 1) return { kind: 'collection', set: setNamed(segments[0]) };
  throw new ODataError(
    404,
    'not_found',
    `/odata/${trimmed} does not exist; the entity sets are ${ENTITY_SETS.map((s) => s.name).join(', ')}, each with /$count`,
  );
}

async function serveServiceDocument(req: Request, res: Response): Promise<void> {
  const writer = new CollectionWriter(res);
  writer.begin({ context: `${serviceRoot(req)}/$metadata`, ieee754Compatible: wantsIeee754Compatible(req), headers: { 'Cache-Control': 'no-store' } });
  for (const set of ENTITY_SETS) {
    await writer.add(JSON.stringify({ name: set.name, kind: 'EntitySet', url: set.name }));
  }
  await writer.end();
}

/**
 * The credential test of Power BI and of gateways reads the service root (or $metadata). A
 * sign-in alone does not prove the account can read anything: an expired account signs in and
 * is then refused everything. So both ask DCS for the caller's sources (the same cached list
 * Sources serves): DCS's 403 comes back with its reason, and an account that may see nothing
 * is refused here, not at the first refresh.
 */
async function verifyAccess(handle: DcsHandle): Promise<void> {
  let sources: readonly unknown[];
  try {
    sources = await callerSources(handle);
  } catch (error) {
    // Elsewhere DCS's 403 text is withheld because it can name a hidden register; a refusal to
    // list meters at all names none: it is about the account (expired, outside its access
    // dates), which is exactly what the user must read to fix the credential.
    if (error instanceof DcsForbiddenError) {
      const reason = typeof error.details === 'string' && error.details !== '' ? error.details : error.message;
      throw new ODataError(403, 'forbidden', `DCS refuses this account: ${reason.replace(/[.\s]+$/, '')}. Until that is fixed, sign in as another user.`);
    }
    throw error;
  }
  if (sources.length > 0) return;
  const who = handle.principal.public ? 'public access' : `the DCS account "${handle.principal.username}"`;
  throw new ODataError(
    403,
    'forbidden',
    `${who} may read no meters or virtual meters: ask the DCS administrator to give it access to some, or sign in as another user`,
  );
}

function serveMetadata(res: Response, metadata: string): void {
  for (const [name, value] of Object.entries(ODATA_VERSION_HEADERS)) res.setHeader(name, value);
  res.setHeader('Cache-Control', 'no-store');
  res.status(200).type(METADATA_CONTENT_TYPE).send(metadata);
}

/** The settings with the span cap in force for this caller's DCS (learned from DCS's refusals), so cost estimates match the pull. */
async function inForce(settings: ReadingsSettings, handle: DcsHandle): Promise<ReadingsSettings> {
  return { ...settings, maxWindowDays: await handle.dcs.windowDaysInForce(settings.maxWindowDays) };
}

export function createODataRouter(ctx: AppContext, options: ODataOptions = {}): Router {
  const pageSize = options.pageSize ?? ctx.config.odataPageSize;
  const metadata = renderMetadata();
  const settings: ReadingsSettings = {
    pageSize,
    logger: ctx.logger,
    now: ctx.config.now ?? Date.now,
    maxWindowDays: ctx.config.dcsMaxWindowDays,
    dcsCallBudget: ctx.config.dcsCallBudget,
    stalledReaderMs: stalledReaderMs(ctx.config),
    call: readingsCallOptions(ctx.config),
    reader: (handle) => readingsReader(ctx, handle),
    defaultTimeZone: ctx.config.defaultTimeZone,
    emissionFactors: () => emissionFactorsOf(ctx.config.carbonFactorsFile),
    groups: ctx.groups,
  };
  const router = Router();

  // Errors from here on (401 included) carry the OData version header, and only reads exist.
  router.use((req: Request, res: Response, next: NextFunction) => {
    for (const [name, value] of Object.entries(ODATA_VERSION_HEADERS)) res.setHeader(name, value);
    try {
      useODataQuery(req);
    } catch (error) {
      sendODataError(res, error);
      return;
    }
    // HEAD would run GET's whole DCS pull only to throw the body away.
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      const why = req.method === 'HEAD' ? 'it would cost DCS the same pull as GET' : 'this feed is read-only';
      sendODataError(res, new ODataError(405, 'method_not_allowed', `${req.method} is not supported: ${why}; use GET`));
      return;
    }
    next();
  });
  router.use(requireDcs(ctx));

  router.use(async (req: Request, res: Response) => {
    try {
      const resource = resolveResource(req.path);
      if (resource.kind !== 'metadata' && resource.kind !== 'count') checkAcceptable(req);
      const handle = res.locals.handle!;
      switch (resource.kind) {
        case 'serviceDocument':
          await verifyAccess(handle);
          return await serveServiceDocument(req, res);
        case 'metadata':
          await verifyAccess(handle);
          return serveMetadata(res, metadata);
        case 'collection':
          if (resource.set.name === 'Readings') return await serveReadings(req, res, handle, await inForce(settings, handle));
          if (resource.set.name === 'Intervals') return await serveIntervals(req, res, handle, await inForce(settings, handle));
          return await serveSmallSet(req, res, resource.set, handle, pageSize);
        case 'count':
          if (resource.set.name === 'Readings') return await serveReadingsCount(req, res, handle, await inForce(settings, handle));
          if (resource.set.name === 'Intervals') return await serveIntervalsCount(req, res, handle, await inForce(settings, handle));
          return await serveSmallSetCount(req, res, resource.set, handle);
        case 'entity':
          return await serveSmallSetEntity(req, res, resource.set, resource.key, handle);
      }
    } catch (error) {
      const answer = sendODataError(res, error);
      if (answer.status >= 500) ctx.logger.error('OData request failed', { path: req.path, error });
      if (res.headersSent && !res.writableEnded) res.destroy();
    }
  });
  return router;
}
