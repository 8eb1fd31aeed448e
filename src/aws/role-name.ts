/** The scan role's name when `--role-name` is not given; its own module so the CLI can name it without loading the SDK. */
export const DEFAULT_ROLE_NAME = 'ForensightReadOnly';
