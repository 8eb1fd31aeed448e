// IAM actions as data. Each module that calls AWS declares, beside its calls, the IAM actions they need (as
// the Service Authorization Reference names them, which is not always the SDK command name); the role
// template is the union of those declarations.

/** "service:Action" as IAM spells it. */
export type IamAction = `${string}:${string}`;

/** The union of declarations: sorted, each action once. */
export function unionOfActions(...declarations: readonly (readonly IamAction[])[]): IamAction[] {
  return [...new Set(declarations.flat())].sort();
}
