// Who the organisation says is its own (analyze --config expectedPrincipals / ownApplications / expectedIps): one
// matcher, so the actors table and every rule agree on what "expected" means. An entry is an exact principal
// ARN, role ARN (any session of the role matches through its session issuer) or access key id, or a prefix
// ending in '*' (arn:aws:iam::111122223333:role/ci-*).

export interface ExpectedList {
  exact: ReadonlySet<string>;
  prefixes: readonly string[];
}

export function expectedList(entries: Iterable<string>): ExpectedList {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const e of entries) {
    if (e.endsWith('*')) prefixes.push(e.slice(0, -1));
    else exact.add(e);
  }
  return { exact, prefixes };
}

const LISTS = new WeakMap<ReadonlySet<string>, ExpectedList>();

/** The list of a config set (cached per set: rules call this per event). */
export function expectedListOf(entries: ReadonlySet<string>): ExpectedList {
  let list = LISTS.get(entries);
  if (!list) {
    list = expectedList(entries);
    LISTS.set(entries, list);
  }
  return list;
}

/** Whether any of the identifiers is on the list (exactly, or under one of its '*' prefixes). */
export function anyExpected(list: ExpectedList, ids: readonly (string | null | undefined)[]): boolean {
  for (const id of ids) {
    if (!id) continue;
    if (list.exact.has(id)) return true;
    for (const p of list.prefixes) if (id.startsWith(p)) return true;
  }
  return false;
}
