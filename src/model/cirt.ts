// The seven elements of the AWS CIRT methodology for generative-AI incidents: one list, one spelling, used by
// investigability (scan.json), the reports and the analysis rules. The id is the bare element name
// ("access"); scan.json files written before this list existed used a "cirt:" prefix, which toCirtElement()
// still reads.

export const CIRT_ELEMENTS = [
  'access',
  'infrastructure-changes',
  'ai-changes',
  'data-store-changes',
  'invocation',
  'private-data',
  'agency',
] as const;
export type CirtElement = (typeof CIRT_ELEMENTS)[number];

/** How the seven CIRT elements read in reports. */
export const CIRT_ELEMENT_LABEL: Readonly<Record<CirtElement, string>> = {
  access: 'Access',
  'infrastructure-changes': 'Infrastructure changes',
  'ai-changes': 'AI changes',
  'data-store-changes': 'Data store changes',
  invocation: 'Invocation',
  'private-data': 'Private data',
  agency: 'Agency',
};

const LEGACY_PREFIX = 'cirt:';

export function isCirtElement(value: string): value is CirtElement {
  return (CIRT_ELEMENTS as readonly string[]).includes(value);
}

/** The element an id names, accepting the legacy "cirt:access" spelling of older scan.json files; else null. */
export function toCirtElement(value: string): CirtElement | null {
  const bare = value.startsWith(LEGACY_PREFIX) ? value.slice(LEGACY_PREFIX.length) : value;
  return isCirtElement(bare) ? bare : null;
}
