/**
 * The feed's entity data model, as data: entity types, their properties and keys, and the entity
 * sets. $metadata is rendered from it, and $select, $filter and $orderby are checked against it,
 * so the three can never disagree about what a property is called or what type it has.
 */

export const NAMESPACE = 'DCS';
export const CONTAINER = 'Container';

export type EdmType = 'Edm.String' | 'Edm.Boolean' | 'Edm.Int32' | 'Edm.Int64' | 'Edm.Double' | 'Edm.DateTimeOffset';

export interface PropertyDef {
  name: string;
  type: EdmType;
  nullable: boolean;
  description: string;
}

/**
 * A single-valued link to another entity set through a foreign-key property, so that Power BI
 * (which reads the referential constraint from $metadata) relates the two tables by itself.
 */
export interface NavigationDef {
  name: string;
  /** The entity type it leads to, and the set it is bound to. */
  target: EntityTypeDef;
  targetSet: string;
  /** This type's property that holds the target's key. */
  property: string;
  referencedProperty: string;
}

export interface EntityTypeDef {
  name: string;
  key: readonly string[];
  properties: readonly PropertyDef[];
  navigation?: readonly NavigationDef[];
  /** Whether `$search` is offered: words in any order, as GET /api/sources?q= (sources/source-match.ts). */
  searchable?: boolean;
  /** The custom query options (no `$`) the set takes; any other is refused, as on every route. */
  customOptions?: readonly string[];
}

export interface EntitySetDef {
  name: string;
  entityType: EntityTypeDef;
  description: string;
}

function prop(name: string, type: EdmType, description: string, nullable = false): PropertyDef {
  return { name, type, nullable, description };
}

export const SourceType: EntityTypeDef = {
  name: 'Source',
  key: ['Id'],
  searchable: true,
  properties: [
    prop('Id', 'Edm.String', 'Source id to ask readings for: R<register id> or VM<virtual meter id>.'),
    prop('Kind', 'Edm.String', "'register' or 'virtualMeter'."),
    prop('Name', 'Edm.String', 'Register name (with its meter) or virtual meter name.'),
    prop('Unit', 'Edm.String', 'Unit of the values, e.g. kWh.'),
    prop('IsInstantaneous', 'Edm.Boolean', 'True for instantaneous values (e.g. kW); false for cumulative totals.'),
    prop('MeterId', 'Edm.Int64', 'The meter a register belongs to; empty for virtual meters.', true),
    prop('MeterName', 'Edm.String', 'Name of the meter a register belongs to; empty for virtual meters.', true),
  ],
};

export const MeterType: EntityTypeDef = {
  name: 'Meter',
  key: ['Id'],
  properties: [
    prop('Id', 'Edm.Int64', 'DCS meter id.'),
    prop('Name', 'Edm.String', 'Meter name (unique in DCS).'),
    prop('MeterType', 'Edm.String', 'Meter model or type.'),
    prop('SerialNumber', 'Edm.String', 'Serial number.'),
    prop('ConnectionMethod', 'Edm.String', 'tcp, modem or idc.'),
    prop('DeviceId', 'Edm.Int64', 'Device address on its connection.'),
    prop('RemoteAddress', 'Edm.String', 'Network or telephone address.'),
    prop('Status', 'Edm.String', 'online, offline, disabled or unknown.'),
    prop('Mpn', 'Edm.String', 'Meter point number, when DCS has one.', true),
    prop('Service', 'Edm.String', 'Metered service (electricity, gas, ...), when DCS has one.', true),
    prop('RegisterCount', 'Edm.Int32', 'How many registers the meter has (listed in Sources).'),
  ],
};

export const VirtualMeterType: EntityTypeDef = {
  name: 'VirtualMeter',
  key: ['Id'],
  properties: [
    prop('Id', 'Edm.Int64', 'DCS virtual meter id.'),
    prop('SourceId', 'Edm.String', 'Source id to ask readings for: VM<id>.'),
    prop('Name', 'Edm.String', 'Virtual meter name.'),
    prop('Expression', 'Edm.String', 'How DCS computes it from registers, e.g. R1+R2.'),
    prop('DecimalPlaces', 'Edm.Int32', 'Decimal places DCS rounds values to.'),
    prop('IsInstantaneous', 'Edm.Boolean', 'True for instantaneous values; false for consumption.'),
    prop('Unit', 'Edm.String', 'Unit of the values.'),
  ],
};

/** Readings (and Intervals) name their source: Power BI relates them to Sources by it. */
const SOURCE_NAVIGATION: NavigationDef = { name: 'Source', target: SourceType, targetSet: 'Sources', property: 'SourceId', referencedProperty: 'Id' };

export const ReadingType: EntityTypeDef = {
  name: 'Reading',
  key: ['SourceId', 'PeriodType', 'Timestamp'],
  navigation: [SOURCE_NAVIGATION],
  customOptions: ['periodType', 'calibrated', 'interpolated'],
  properties: [
    prop('SourceId', 'Edm.String', 'R<register id> or VM<virtual meter id>.'),
    prop('PeriodType', 'Edm.String', 'halfHour, hour, day, week or month (choose with periodType=).'),
    prop('Timestamp', 'Edm.DateTimeOffset', 'Start of the period (UTC).'),
    prop('Value', 'Edm.Double', 'Reading value; NaN, INF or -INF when DCS has no finite value.'),
    prop('Status', 'Edm.Int32', 'DCS status bits: 1 interpolated, 2 reset; 0 a real reading.'),
    prop('Interpolated', 'Edm.Boolean', 'DCS estimated the value (status bit 1).'),
    prop('Reset', 'Edm.Boolean', 'A register reset, meter exchange or rollover happened (status bit 2).'),
    prop(
      'PeriodValue',
      'Edm.Double',
      "Consumption in the period, as DCS computes it (correct across resets): a cumulative register's period value, or a per-period virtual meter's value; empty for instantaneous sources and virtual meters that give totals.",
      true,
    ),
    prop('Unit', 'Edm.String', 'Unit of Value and PeriodValue, e.g. kWh.'),
  ],
};

export const IntervalType: EntityTypeDef = {
  name: 'Interval',
  // Interval and TimeZone are part of the key: the same source and instant start a day in one
  // query and an hour in another, or a day in London and another in Lisbon (same offset in winter).
  // calc= is a projection (which figures are filled in), not another interval.
  key: ['SourceId', 'Interval', 'TimeZone', 'Start'],
  navigation: [SOURCE_NAVIGATION],
  customOptions: ['interval', 'timeZone', 'start', 'end', 'calc', 'calibrated', 'interpolated', 'occupied', 'baseTemperature', 'fuel', 'compare'],
  properties: [
    prop('SourceId', 'Edm.String', 'R<register id> or VM<virtual meter id>.'),
    prop('Interval', 'Edm.String', 'The length of the interval, as asked with interval=: halfHour, hour, day, week, month, quarter or year.'),
    prop(
      'TimeZone',
      'Edm.String',
      'The IANA time zone the intervals are local to, as asked with timeZone= (missing or blank: the server setting DEFAULT_TIME_ZONE, UTC unless set).',
    ),
    prop('Start', 'Edm.DateTimeOffset', 'Start of the interval, with the offset of the time zone (timeZone=) at that instant.'),
    prop('End', 'Edm.DateTimeOffset', 'End of the interval (excluded), with the offset of the time zone at that instant.'),
    prop('Consumption', 'Edm.Double', 'Consumption in the interval (cumulative sources; or when calc= asks for it); empty when no half-hour was usable.', true),
    prop('Mean', 'Edm.Double', 'Mean of the half-hourly values (instantaneous sources; or when calc= asks for it).', true),
    prop('Min', 'Edm.Double', 'Smallest half-hourly value (instantaneous sources; or when calc= asks for it).', true),
    prop('Max', 'Edm.Double', 'Largest half-hourly value (instantaneous sources; or when calc= asks for it).', true),
    prop('MaxAt', 'Edm.DateTimeOffset', 'Start of the half-hour holding Max (the first, if several); only when calc= includes maxAt.', true),
    prop(
      'MaxDemand',
      'Edm.Double',
      'Maximum demand (kW for a kWh source: the largest half-hour × 2); energy sources only, when calc= includes maxDemand.',
      true,
    ),
    prop('MaxDemandAt', 'Edm.DateTimeOffset', 'Start of the half-hour of MaxDemand; when calc= includes maxDemandAt.', true),
    prop('LoadFactor', 'Edm.Double', 'Mean demand ÷ maximum demand (0 to 1); energy sources only, when calc= includes loadFactor.', true),
    prop(
      'Baseload',
      'Edm.Double',
      'Demand always there (kW for a kWh source): the nearest-rank 10th percentile of the half-hourly demands; when calc= includes baseload.',
      true,
    ),
    prop('OutOfHours', 'Edm.Double', 'Consumption in the half-hours outside occupied= (e.g. Mon-Fri 08:00-18:00); when calc= includes outOfHours.', true),
    prop(
      'HeatingDegreeDays',
      'Edm.Double',
      "Sum over the days of max(0, baseTemperature (default 15.5 °C) − the day's mean temperature); temperature sources, when calc= includes heatingDegreeDays.",
      true,
    ),
    prop(
      'CoolingDegreeDays',
      'Edm.Double',
      "Sum over the days of max(0, the day's mean temperature − baseTemperature); temperature sources, when calc= includes coolingDegreeDays.",
      true,
    ),
    prop('Carbon', 'Edm.Double', "kgCO2e: each half-hour's kWh × the emission factor of fuel= for its year; kWh sources, when calc= includes carbon.", true),
    prop(
      'Previous',
      'Edm.Double',
      'With compare=previousYear: the same figure (consumption, or the mean) a year earlier (the same weekday 364 days earlier for days and weeks).',
      true,
    ),
    prop('Change', 'Edm.Double', "With compare=previousYear: this interval's figure − Previous.", true),
    prop('ChangePercent', 'Edm.Double', 'With compare=previousYear: Change ÷ Previous × 100; empty when Previous is 0 or unknown.', true),
    prop('Periods', 'Edm.Int32', 'Half-hours in the interval (46 or 50 on a clock-change day).'),
    prop('Interpolated', 'Edm.Int32', 'Half-hours DCS estimated.'),
    prop('Resets', 'Edm.Int32', 'Half-hours that crossed a register reset.'),
    prop('Missing', 'Edm.Int32', 'Half-hours DCS did not send.'),
    prop('Invalid', 'Edm.Int32', 'Half-hours whose value was NaN or infinite (left out of every figure).'),
    prop('Unit', 'Edm.String', 'Unit of the figures, e.g. kWh.'),
  ],
};

export const ENTITY_SETS: readonly EntitySetDef[] = [
  { name: 'Sources', entityType: SourceType, description: 'Every register and virtual meter you may read: the ids to use in Readings.' },
  { name: 'Meters', entityType: MeterType, description: 'Meters; their registers are the Sources of kind register.' },
  { name: 'VirtualMeters', entityType: VirtualMeterType, description: 'Virtual meters (computed sources).' },
  {
    name: 'Readings',
    entityType: ReadingType,
    description:
      "Readings of one or more sources over a time span. A full read needs $filter with SourceId and a bounded Timestamp range, e.g. SourceId eq 'R1' and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-02-01T00:00:00Z. With $top=N, the answer is the first N rows of what the filter selects (per source, oldest first), so a start is enough: a missing SourceId means every source and a missing end means now. Rows come per source, oldest first; $orderby SourceId and Timestamp (asc or desc) always, any other property with $top (Sort, then Keep top rows).",
  },
  {
    name: 'Intervals',
    entityType: IntervalType,
    description:
      'Consumption, or mean, min and max, per local interval, as GET /api/intervals calculates them. Custom options: interval= (halfHour, hour, day (default), week, month, quarter, year), timeZone= (IANA; missing or blank: the server setting DEFAULT_TIME_ZONE, UTC unless set), calc=, calibrated=, interpolated=, occupied= (outOfHours), baseTemperature= (degree days), fuel= (carbon), compare=previousYear, and start=/end= (local to timeZone, on interval boundaries) as an alternative to Start bounds in $filter. A full read needs SourceId and a span; with $top=N, the answer is the first N rows of what the filter selects, so a start is enough: a missing SourceId means every source and a missing end the end of the interval in progress. Rows come per source, oldest first; $orderby SourceId then Start always, any other order with $top (Sort, then Keep top rows).',
  },
];

export function findEntitySet(name: string): EntitySetDef | undefined {
  return ENTITY_SETS.find((set) => set.name === name);
}

export function findProperty(type: EntityTypeDef, name: string): PropertyDef | undefined {
  return type.properties.find((p) => p.name === name);
}

export function propertyNames(type: EntityTypeDef): string {
  return type.properties.map((p) => p.name).join(', ');
}
