// Derives the JSON Schemas of the OCSF classes forensight emits from the OCSF schema definitions
// (github.com/ocsf/ocsf-schema at a release tag), so a test can validate every emitted object against them.
//
//   git -C ocsf-schema archive 1.8.0 | tar -x -C /tmp/ocsf-1.8.0
//   node scripts/derive-ocsf-schemas.mjs /tmp/ocsf-1.8.0 src/model/schemas/ocsf
//
// Resolution follows the OCSF framework: a class extends its parent up to base_event; `$include` pulls profile
// and include files in; class-level attribute settings override the dictionary's; enums merge along the chain;
// objects extend their parents and are emitted once each under $defs. Attributes outside the definitions are
// refused (additionalProperties: false), except inside the free-form `object` and `json_t` types.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [root, outDir] = process.argv.slice(2);
if (!root || !outDir) {
  console.error('usage: node scripts/derive-ocsf-schemas.mjs OCSF_SCHEMA_DIR OUT_DIR');
  process.exit(2);
}
const read = (p) => JSON.parse(readFileSync(join(root, p), 'utf8'));
const version = read('version.json').version;
const dictionary = read('dictionary.json');
const types = dictionary.types.attributes;
const categories = read('categories.json').attributes;
const objects = Object.fromEntries(
  readdirSync(join(root, 'objects'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const o = read(join('objects', f));
      return [o.name, o];
    }),
);

function mergeAttributes(target, source) {
  for (const [name, spec] of Object.entries(source ?? {})) {
    if (name === '$include') continue;
    const prev = target[name] ?? {};
    const enumMerged = prev.enum || spec.enum ? { ...(prev.enum ?? {}), ...(spec.enum ?? {}) } : undefined;
    target[name] = { ...prev, ...spec, ...(enumMerged ? { enum: enumMerged } : {}) };
  }
}

/** Attributes of a definition: its parent's, then its includes, then its own (most derived wins). */
function resolve(def, lookupParent) {
  const attributes = {};
  if (def.extends && def.extends !== 'object') {
    const parent = lookupParent(def.extends);
    if (!parent) throw new Error(`${def.name}: unknown parent ${def.extends}`);
    mergeAttributes(attributes, resolve(parent, lookupParent).attributes);
  }
  for (const inc of def.attributes?.$include ?? []) {
    const included = read(inc);
    // Attributes of a profile are required only where that profile is applied (metadata.profiles).
    const tagged =
      included.meta === 'profile'
        ? Object.fromEntries(Object.entries(included.attributes).map(([k, v]) => [k, { ...v, fromProfile: included.name }]))
        : included.attributes;
    mergeAttributes(attributes, tagged);
  }
  mergeAttributes(attributes, def.attributes);
  const inherited = def.extends && def.extends !== 'object' ? resolve(lookupParent(def.extends), lookupParent).constraints : {};
  return { attributes, constraints: def.constraints ?? inherited };
}

/** The profiles forensight applies to what it emits (and lists in metadata.profiles). */
const APPLIED_PROFILES = ['cloud'];

const defs = {};

function baseType(typeName) {
  let t = typeName;
  const seen = new Set();
  while (types[t]?.type && !seen.has(t)) {
    seen.add(t);
    t = types[t].type;
  }
  return t;
}

function typeSchema(attrName, spec) {
  const dict = dictionary.attributes[attrName] ?? {};
  const type = spec.type ?? dict.type;
  if (!type) throw new Error(`attribute ${attrName} has no type`);
  let schema;
  const enumeration = { ...(dict.enum ?? {}), ...(spec.enum ?? {}) };
  if (objects[type] || type === 'object') {
    schema = type === 'object' ? { type: 'object' } : { $ref: `#/$defs/${objectDef(type)}` };
  } else {
    const base = baseType(type);
    const json = { string_t: 'string', integer_t: 'integer', long_t: 'integer', float_t: 'number', boolean_t: 'boolean', json_t: null }[base];
    if (json === undefined) throw new Error(`attribute ${attrName}: unknown type ${type} (${base})`);
    schema = json ? { type: json } : {};
    if (type === 'timestamp_t') schema = { type: 'integer', minimum: 0 };
    if (types[type]?.regex && base === 'string_t' && type !== 'string_t') schema.pattern = types[type].regex;
    if (Object.keys(enumeration).length > 0 && (json === 'integer' || json === 'string')) {
      const values = Object.keys(enumeration).map((k) => (json === 'integer' ? Number(k) : k));
      // OCSF enums end in 99 Other: an *_id outside its list is invalid, a free string sibling carries details.
      schema.enum = values;
    }
  }
  const isArray = spec.is_array ?? dict.is_array;
  return isArray ? { type: 'array', items: schema } : schema;
}

function objectSchema(attributes, constraints, { closed = true } = {}) {
  const properties = {};
  const required = [];
  for (const [name, spec] of Object.entries(attributes)) {
    properties[name] = typeSchema(name, spec);
    const profileOnly = spec.fromProfile && spec.profile !== null && !APPLIED_PROFILES.includes(spec.fromProfile);
    if (spec.requirement === 'required' && !profileOnly) required.push(name);
  }
  const schema = { type: 'object', properties, ...(required.length ? { required: required.sort() } : {}), additionalProperties: !closed };
  const anyOf = [];
  if (constraints.at_least_one) anyOf.push(...constraints.at_least_one.map((a) => ({ required: [a] })));
  if (anyOf.length) schema.anyOf = anyOf;
  if (constraints.just_one) schema.oneOf = constraints.just_one.map((a) => ({ required: [a] }));
  return schema;
}

function objectDef(name) {
  if (!defs[name]) {
    defs[name] = {}; // placeholder: objects refer to each other in cycles
    const { attributes, constraints } = resolve(objects[name], (p) => objects[p]);
    defs[name] = { title: objects[name].caption, ...objectSchema(attributes, constraints) };
  }
  return name;
}

function classSchema(classPath) {
  const chain = (path) => read(path);
  const def = chain(classPath);
  const eventFile = (name) => {
    const candidates = { base_event: 'events/base_event.json', finding: 'events/findings/finding.json' };
    return candidates[name] ? read(candidates[name]) : null;
  };
  const { attributes, constraints } = resolve(def, eventFile);
  const category = categories[read('events/findings/finding.json').category];
  const classUid = category.uid * 1000 + def.uid;
  for (const k of Object.keys(defs)) delete defs[k];
  const schema = objectSchema(attributes, constraints);
  const activities = Object.keys(attributes.activity_id.enum).map(Number);
  schema.properties.class_uid = { const: classUid };
  schema.properties.category_uid = { const: category.uid };
  schema.properties.type_uid = { enum: activities.map((a) => classUid * 100 + a) };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://schema.ocsf.io/${version}/classes/${def.name}`,
    title: `OCSF ${version} ${def.caption} (class ${classUid})`,
    description: `Profiles applied: ${APPLIED_PROFILES.join(', ')}. Derived by scripts/derive-ocsf-schemas.mjs from the OCSF ${version} definitions (github.com/ocsf/ocsf-schema). Do not edit by hand.`,
    ...schema,
    $defs: structuredClone(defs),
  };
}

mkdirSync(outDir, { recursive: true });
for (const [file, path] of [
  ['compliance_finding', 'events/findings/compliance_finding.json'],
  ['detection_finding', 'events/findings/detection_finding.json'],
]) {
  writeFileSync(join(outDir, `${file}.schema.json`), `${JSON.stringify(classSchema(path), null, 1)}\n`);
}
writeFileSync(join(outDir, 'VERSION'), `${version}\n`);
console.log(`OCSF ${version}: wrote ${outDir}/compliance_finding.schema.json, detection_finding.schema.json`);
