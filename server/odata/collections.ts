/**
 * The small entity sets: Sources, Meters and VirtualMeters. DCS can only list them whole, so
 * each is loaded once (and kept a minute per session, like /api/sources), then filtered, sorted
 * and paged in memory with the same $filter language as Readings.
 */
import type { Request, Response } from 'express';
import type { Source } from '../api/types';
import type { Meter, VirtualMeter } from 'dcs-client';
import type { DcsHandle } from '../session-handle';
import { loadCatalogue } from '../catalogue';
import { sourceMatches } from '../sources/source-match';
import { ODataError } from './errors';
import { compileFilter, type Row } from './filter-eval';
import { sortRows } from './ordering';
import { CollectionWriter, entitySerializer } from './json-writer';
import { MeterType, SourceType, VirtualMeterType, type EntitySetDef, type EntityTypeDef } from './model';
import { parseQueryOptions } from './options';
import { decodeSkipToken, effectivePageSize, encodeSkipToken, nextLink, queryFingerprint } from './paging';
import { jsonContentType, ODATA_VERSION_HEADERS, serviceRoot, wantsIeee754Compatible } from './protocol';

export function sourceRow(source: Source): Row {
  return {
    Id: source.id,
    Kind: source.kind,
    Name: source.name,
    Unit: source.unit,
    IsInstantaneous: source.isInstantaneous,
    MeterId: source.meter?.id ?? null,
    MeterName: source.meter?.name ?? null,
  };
}

export function meterRow(meter: Meter): Row {
  return {
    Id: meter.id,
    Name: meter.name,
    MeterType: meter.meterType,
    SerialNumber: meter.serialNumber,
    ConnectionMethod: meter.connectionMethod,
    DeviceId: meter.deviceId,
    RemoteAddress: meter.remoteAddress,
    Status: meter.status,
    Mpn: meter.mpn ?? null,
    Service: meter.service ?? null,
    RegisterCount: meter.registers.length,
  };
}

export function virtualMeterRow(vm: VirtualMeter): Row {
  return {
    Id: vm.id,
    SourceId: `VM${vm.id}`,
    Name: vm.name,
    Expression: vm.expression,
    DecimalPlaces: vm.decimalPlaces,
    IsInstantaneous: vm.isInstantaneous,
    Unit: vm.unit,
  };
}

/** A Sources row as the Source it came from, for the one search matcher. */
function sourceOfRow(row: Row): Source {
  const meter = row.MeterName === null ? undefined : { id: Number(row.MeterId), name: String(row.MeterName) };
  return {
    id: String(row.Id),
    kind: row.Kind === 'virtualMeter' ? 'virtualMeter' : 'register',
    name: String(row.Name),
    unit: String(row.Unit),
    isInstantaneous: row.IsInstantaneous === true,
    meter,
  };
}

/** How to list each small set's rows for a caller, and (for a searchable set) which rows `$search` keeps. */
export const SMALL_SETS: Record<string, { type: EntityTypeDef; load: (handle: DcsHandle) => Promise<Row[]>; matches?: (row: Row, text: string) => boolean }> = {
  Sources: {
    type: SourceType,
    load: async (handle) => (await loadCatalogue(handle)).sources.map(sourceRow),
    matches: (row, text) => sourceMatches(sourceOfRow(row), text),
  },
  Meters: {
    type: MeterType,
    load: async (handle) => (await loadCatalogue(handle)).meters.map(meterRow),
  },
  VirtualMeters: {
    type: VirtualMeterType,
    load: async (handle) => (await loadCatalogue(handle)).virtualMeters.map(virtualMeterRow),
  },
};

function selectedRows(req: Request, set: EntitySetDef, all: Row[]): { rows: Row[]; options: ReturnType<typeof parseQueryOptions> } {
  const options = parseQueryOptions(req, set.entityType);
  const predicate = options.filter ? compileFilter(options.filter, set.entityType) : undefined;
  const matches = SMALL_SETS[set.name].matches;
  const search = options.search;
  const found = search === undefined || matches === undefined ? all : all.filter((row) => matches(row, search));
  const rows = sortRows(predicate ? found.filter(predicate) : found, options.orderBy);
  return { rows, options };
}

export async function serveSmallSet(req: Request, res: Response, set: EntitySetDef, handle: DcsHandle, serverPageSize: number): Promise<void> {
  const loader = SMALL_SETS[set.name];
  const { rows, options } = selectedRows(req, set, await loader.load(handle));
  const root = serviceRoot(req);
  const fingerprint = queryFingerprint([set.name, options.filterText, options.orderByText, options.search]);
  const offset = options.skipToken === undefined ? 0 : (decodeSkipToken(options.skipToken, fingerprint).o ?? 0);
  const page = effectivePageSize(req, serverPageSize);
  const start = offset + options.skip;
  const wanted = options.top === undefined ? rows.length - start : Math.min(options.top, rows.length - start);
  const pageRows = rows.slice(start, start + Math.max(0, Math.min(wanted, page.size)));
  const ieee754Compatible = wantsIeee754Compatible(req);
  const writer = new CollectionWriter(res);
  writer.begin({
    context: `${root}/$metadata#${set.name}${options.selected ? `(${options.select.map((p) => p.name).join(',')})` : ''}`,
    count: options.count ? rows.length : undefined,
    ieee754Compatible,
    headers: { 'Cache-Control': 'no-store', ...(page.preferenceApplied ? { 'Preference-Applied': page.preferenceApplied } : {}) },
  });
  const serialize = entitySerializer(options.select, ieee754Compatible);
  for (const row of pageRows) await writer.add(serialize(row));
  const more = pageRows.length < wanted;
  const link = more
    ? nextLink(
        req,
        root,
        set.name,
        encodeSkipToken({ o: start + pageRows.length }, fingerprint),
        options.top === undefined ? undefined : options.top - pageRows.length,
      )
    : undefined;
  await writer.end(link);
}

export async function serveSmallSetCount(req: Request, res: Response, set: EntitySetDef, handle: DcsHandle): Promise<void> {
  const { rows } = selectedRows(req, set, await SMALL_SETS[set.name].load(handle));
  for (const [name, value] of Object.entries(ODATA_VERSION_HEADERS)) res.setHeader(name, value);
  res.setHeader('Cache-Control', 'no-store');
  res.status(200).type('text/plain; charset=utf-8').send(String(rows.length));
}

/** `Sources('R1')`, `Meters(12)`: one entity by key, or 404. */
export async function serveSmallSetEntity(req: Request, res: Response, set: EntitySetDef, keyText: string, handle: DcsHandle): Promise<void> {
  const type = set.entityType;
  const keyProperty = type.properties.find((p) => p.name === type.key[0])!;
  const key = parseKeyLiteral(keyText, keyProperty.type === 'Edm.String' ? 'string' : 'number', set.name);
  const options = parseQueryOptions(req, type);
  const row = (await SMALL_SETS[set.name].load(handle)).find((r) => r[keyProperty.name] === key);
  if (!row) throw new ODataError(404, 'not_found', `${set.name}(${keyText}) does not exist, or you may not see it; list ${set.name} to see what there is`);
  const ieee754Compatible = wantsIeee754Compatible(req);
  const root = serviceRoot(req);
  const context = `${root}/$metadata#${set.name}${options.selected ? `(${options.select.map((p) => p.name).join(',')})` : ''}/$entity`;
  const body = entitySerializer(options.select, ieee754Compatible)(row);
  for (const [name, value] of Object.entries(ODATA_VERSION_HEADERS)) res.setHeader(name, value);
  res.setHeader('Cache-Control', 'no-store');
  res.status(200).setHeader('Content-Type', jsonContentType(ieee754Compatible));
  res.end(`{"@odata.context":${JSON.stringify(context)},${body.slice(1)}`);
}

function parseKeyLiteral(text: string, type: 'string' | 'number', setName: string): string | number {
  const inner = text.replace(/^Id=/, '');
  if (type === 'string') {
    const match = /^'((?:[^']|'')*)'$/.exec(inner);
    if (!match) throw new ODataError(400, 'bad_request', `${setName}(${text}): the key is text; write ${setName}('R1')`);
    return match[1].replace(/''/g, "'");
  }
  if (!/^\d{1,15}$/.test(inner)) throw new ODataError(400, 'bad_request', `${setName}(${text}): the key is a whole number; write ${setName}(12)`);
  return Number(inner);
}
