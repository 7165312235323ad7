/**
 * The system query options of one request, read and checked once: `$select`, `$top`, `$skip`,
 * `$orderby`, `$count`, `$skiptoken`, `$format`, `$filter` (parsed by ./filter). Options this feed
 * does not implement are refused by name instead of being silently ignored, because a client
 * that sent `$expand` or `$search` would otherwise trust a result that ignored it.
 */
import type { Request } from 'express';
import { badOption, ODataError } from './errors';
import { acceptsOurJson } from './protocol';
import { parseFilter, type FilterExpr } from './filter';
import { findProperty, propertyNames, type EntityTypeDef, type NavigationDef, type PropertyDef } from './model';

export interface OrderItem {
  property: string;
  descending: boolean;
}

/** `$expand=Source` or `$expand=Source($select=Id,Name)`: the one navigation this feed expands. */
interface ExpandOption {
  navigation: NavigationDef;
  select: readonly PropertyDef[];
}

export interface QueryOptions {
  filter?: FilterExpr;
  expand?: ExpandOption;
  /** The raw $filter text, for the next link and the skiptoken's query fingerprint. */
  filterText?: string;
  /** Properties to write, in the entity type's order. */
  select: readonly PropertyDef[];
  /** True when $select narrowed the properties (the context URL then lists them). */
  selected: boolean;
  top?: number;
  skip: number;
  orderBy: OrderItem[];
  orderByText?: string;
  count: boolean;
  skipToken?: string;
  /** `$search` of a searchable type: words to match in any order (sources/source-match.ts). */
  search?: string;
  /** Custom (non-$) options, e.g. periodType. */
  custom: Record<string, string>;
}

const SUPPORTED = ['$filter', '$select', '$top', '$skip', '$orderby', '$count', '$skiptoken', '$format'];
const NOT_IMPLEMENTED: Record<string, string> = {
  $expand: 'this entity set has no navigation properties to expand; join the sets on their ids in Power Query instead',
  $search:
    "free-text search is offered on Sources only (words in any order, e.g. Sources?$search=library electricity); here use $filter with contains(Name,'text')",
  $apply: 'aggregation ($apply) is not supported; load the readings and group them in Power Query',
  $compute: '$compute is not supported',
  $levels: '$levels is not supported',
  $index: '$index is not supported',
  $schemaversion: '$schemaversion is not supported',
  $deltatoken: 'change tracking is not supported',
  $id: '$id is not supported',
};

/** The single text value of a query parameter; a repeated parameter is refused. */
export function singleValue(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  throw badOption(name, 'is given more than once; give it once');
}

function nonNegativeInteger(name: string, text: string): number {
  if (!/^\d{1,15}$/.test(text.trim())) throw badOption(name, `'${text}' is not a whole number of rows (0 or more)`);
  return Number(text.trim());
}

function parseSelect(type: EntityTypeDef, text: string | undefined): { select: readonly PropertyDef[]; selected: boolean } {
  if (text === undefined || text.trim() === '' || text.trim() === '*') return { select: type.properties, selected: false };
  const names = new Set<string>();
  for (const part of text.split(',')) {
    const name = part.trim();
    if (name === '*') return { select: type.properties, selected: false };
    // A navigation property may be selected (Part 2 §5.1.3): Power Query's Choose Columns keeps
    // Source that way; it is written when $expand asks for it.
    if (type.navigation?.some((n) => n.name === name)) continue;
    if (!findProperty(type, name)) {
      throw badOption('$select', `${type.name} has no property '${name}'; choose from ${propertyNames(type)} (names are case-sensitive)`);
    }
    names.add(name);
  }
  return { select: type.properties.filter((p) => names.has(p.name)), selected: true };
}

function parseOrderBy(type: EntityTypeDef, text: string | undefined): OrderItem[] {
  if (text === undefined || text.trim() === '') return [];
  const items: OrderItem[] = [];
  for (const part of text.split(',')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?\s*$/.exec(part);
    if (!match) {
      throw badOption('$orderby', `'${part.trim()}' is not understood; write a property name, optionally followed by asc or desc, e.g. $orderby=Name desc`);
    }
    if (!findProperty(type, match[1])) {
      throw badOption('$orderby', `${type.name} has no property '${match[1]}'; choose from ${propertyNames(type)}`);
    }
    if (items.some((i) => i.property === match[1])) throw badOption('$orderby', `names ${match[1]} twice`);
    items.push({ property: match[1], descending: match[2] === 'desc' });
  }
  return items;
}

function parseCount(text: string | undefined): boolean {
  if (text === undefined) return false;
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw badOption('$count', `'${text}' is not true or false`);
}

function checkFormat(text: string | undefined): void {
  if (text === undefined) return;
  if (!acceptsOurJson(text)) {
    throw new ODataError(
      406,
      'not_acceptable',
      `$format: '${text}' is not available; this feed answers in JSON with minimal metadata ($format=json). $metadata is always XML.`,
      '$format',
    );
  }
}

function parseExpand(type: EntityTypeDef, text: string): ExpandOption | undefined {
  if (text.trim() === '') return undefined;
  const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(\s*\$select=([^()]*)\))?\s*$/.exec(text);
  const navigation = match ? type.navigation?.find((n) => n.name === match[1]) : undefined;
  if (!match || !navigation) {
    const names = (type.navigation ?? []).map((n) => n.name).join(', ');
    throw badOption(
      '$expand',
      `'${text}' cannot be expanded; ${type.name} expands ${names} only, optionally with $select, e.g. $expand=${names}($select=Name,Unit)`,
    );
  }
  return { navigation, select: parseSelect(navigation.target, match[2]).select };
}

/**
 * A custom option (no `$`) the entity set does not take is refused, as every route refuses an
 * unknown parameter: a misspelt one (`timezone=`) would otherwise silently change the answer.
 */
function checkCustomOption(name: string, type: EntityTypeDef): void {
  const known = type.customOptions ?? [];
  if (known.includes(name)) return;
  const lower = SUPPORTED.includes(`$${name.toLowerCase()}`) ? `; did you mean $${name.toLowerCase()}?` : '';
  const takes = known.length === 0 ? 'takes no custom options' : `takes ${known.join(', ')}`;
  throw badOption(name, `is not a query option of this entity set, which ${takes} besides ${SUPPORTED.join(', ')} (names are case-sensitive)${lower}`);
}

/** Reads every query option of a collection request against the entity type. */
export function parseQueryOptions(req: Request, type: EntityTypeDef): QueryOptions {
  const custom: Record<string, string> = {};
  for (const name of Object.keys(req.query)) {
    if (!name.startsWith('$')) {
      checkCustomOption(name, type);
      const value = singleValue(req, name);
      if (value !== undefined) custom[name] = value;
      continue;
    }
    if (SUPPORTED.includes(name) || (name === '$expand' && type.navigation !== undefined) || (name === '$search' && type.searchable)) continue;
    const reason = NOT_IMPLEMENTED[name];
    const lower = name.toLowerCase();
    // 400, not OData's suggested 501: a 5xx says the server failed, and monitoring and Power
    // BI's retries treat it so; an option this feed does not offer is the caller's to drop.
    if (reason) throw new ODataError(400, 'not_implemented', `${name}: ${reason}`, name);
    if (SUPPORTED.includes(lower) || NOT_IMPLEMENTED[lower]) throw badOption(name, `system query options are lower case: write ${lower}`);
    throw badOption(name, `is not a query option of this feed; supported: ${SUPPORTED.join(', ')}`);
  }
  checkFormat(singleValue(req, '$format'));
  const filterText = singleValue(req, '$filter');
  const orderByText = singleValue(req, '$orderby');
  const topText = singleValue(req, '$top');
  const skipText = singleValue(req, '$skip');
  const { select, selected } = parseSelect(type, singleValue(req, '$select'));
  const expandText = singleValue(req, '$expand');
  return {
    expand: expandText === undefined ? undefined : parseExpand(type, expandText),
    filter: filterText === undefined ? undefined : parseFilter(filterText),
    filterText,
    select,
    selected,
    top: topText === undefined ? undefined : nonNegativeInteger('$top', topText),
    skip: skipText === undefined ? 0 : nonNegativeInteger('$skip', skipText),
    orderBy: parseOrderBy(type, orderByText),
    orderByText,
    count: parseCount(singleValue(req, '$count')),
    skipToken: singleValue(req, '$skiptoken'),
    search: type.searchable ? singleValue(req, '$search') : undefined,
    custom,
  };
}
