// The forensic roles' default names, in their own module so the CLI can name them without loading the SDK or
// the role template's declarations.

/** The read-only scan role, when `--role-name` is not given. */
export const DEFAULT_SCAN_ROLE_NAME = 'ForensightReadOnly';

/** The collection role, when `collect --role-name` is not given. */
export const DEFAULT_COLLECT_ROLE_NAME = 'ForensightCollector';
