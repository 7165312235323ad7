/**
 * $metadata as CSDL XML (OData 4.0). Power Query's OData connector reads only the XML form.
 * Besides the types, the document declares what Readings needs (a filter on SourceId and
 * Timestamp) and which of its properties can be sorted, in the standard Capabilities vocabulary,
 * so tools that read annotations learn the rules before they hit a 400.
 */
import { CONTAINER, ENTITY_SETS, NAMESPACE, type EntitySetDef, type EntityTypeDef, type NavigationDef, type PropertyDef } from './model';

const CORE_VOCABULARY = 'https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml';
const CAPABILITIES_VOCABULARY = 'https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Capabilities.V1.xml';

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

function description(text: string, indent: string): string {
  return `${indent}<Annotation Term="Core.Description" String="${escapeXml(text)}"/>\n`;
}

function renderProperty(p: PropertyDef): string {
  const nullable = p.nullable ? '' : ' Nullable="false"';
  return `        <Property Name="${p.name}" Type="${p.type}"${nullable}>\n${description(p.description, '          ')}        </Property>\n`;
}

function renderNavigation(n: NavigationDef): string {
  return (
    // Nullable: an entity names its source even when the caller may no longer see it (then null).
    `        <NavigationProperty Name="${n.name}" Type="${NAMESPACE}.${n.target.name}">\n` +
    `          <ReferentialConstraint Property="${n.property}" ReferencedProperty="${n.referencedProperty}"/>\n` +
    `        </NavigationProperty>\n`
  );
}

function renderEntityType(type: EntityTypeDef): string {
  const keys = type.key.map((k) => `          <PropertyRef Name="${k}"/>\n`).join('');
  return (
    `      <EntityType Name="${type.name}">\n` +
    `        <Key>\n${keys}        </Key>\n` +
    type.properties.map(renderProperty).join('') +
    (type.navigation ?? []).map(renderNavigation).join('') +
    `      </EntityType>\n`
  );
}

function propertyPaths(names: readonly string[], indent: string): string {
  return names.map((n) => `${indent}<PropertyPath>${n}</PropertyPath>\n`).join('');
}

/** Readings and Intervals cannot be listed whole, nor be addressed by key: say so in the standard vocabulary. */
function readingsRestrictions(set: EntitySetDef): string {
  if (set.name !== 'Readings' && set.name !== 'Intervals') return '';
  const required = set.name === 'Readings' ? ['SourceId', 'Timestamp'] : ['SourceId', 'Start'];
  const i = '          ';
  return (
    `        <Annotation Term="Capabilities.FilterRestrictions">\n${i}<Record>\n` +
    `${i}  <PropertyValue Property="RequiresFilter" Bool="true"/>\n` +
    `${i}  <PropertyValue Property="RequiredProperties">\n${i}    <Collection>\n${propertyPaths(required, `${i}      `)}${i}    </Collection>\n${i}  </PropertyValue>\n` +
    `${i}</Record>\n        </Annotation>\n` +
    // Every property sorts: the keys as rows stream, any other with $top (the set's description says so).
    `        <Annotation Term="Capabilities.SortRestrictions">\n${i}<Record>\n` +
    `${i}  <PropertyValue Property="Sortable" Bool="true"/>\n` +
    `${i}</Record>\n        </Annotation>\n` +
    // Neither Readings(...) nor Readings(...)/Source is served: say so, since clients assume both.
    `        <Annotation Term="Capabilities.IndexableByKey" Bool="false"/>\n` +
    `        <Annotation Term="Capabilities.NavigationRestrictions">\n${i}<Record>\n` +
    `${i}  <PropertyValue Property="Navigability" EnumMember="Capabilities.NavigationType/None"/>\n` +
    `${i}</Record>\n        </Annotation>\n`
  );
}

function renderEntitySet(set: EntitySetDef): string {
  return (
    `      <EntitySet Name="${set.name}" EntityType="${NAMESPACE}.${set.entityType.name}">\n` +
    (set.entityType.navigation ?? []).map((n) => `        <NavigationPropertyBinding Path="${n.name}" Target="${n.targetSet}"/>\n`).join('') +
    description(set.description, '        ') +
    readingsRestrictions(set) +
    `      </EntitySet>\n`
  );
}

export function renderMetadata(): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n` +
    `<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">\n` +
    `  <edmx:Reference Uri="${CORE_VOCABULARY}">\n    <edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"/>\n  </edmx:Reference>\n` +
    `  <edmx:Reference Uri="${CAPABILITIES_VOCABULARY}">\n    <edmx:Include Namespace="Org.OData.Capabilities.V1" Alias="Capabilities"/>\n  </edmx:Reference>\n` +
    `  <edmx:DataServices>\n` +
    `    <Schema Namespace="${NAMESPACE}" xmlns="http://docs.oasis-open.org/odata/ns/edm">\n` +
    ENTITY_SETS.map((set) => renderEntityType(set.entityType)).join('') +
    `      <EntityContainer Name="${CONTAINER}">\n` +
    ENTITY_SETS.map(renderEntitySet).join('') +
    `      </EntityContainer>\n` +
    `    </Schema>\n` +
    `  </edmx:DataServices>\n` +
    `</edmx:Edmx>\n`
  );
}
