// Where a config value came from, and the one-line problems a person can act on.
export type Origin =
  | { kind: 'env'; name: string }
  | { kind: 'project'; file: string }
  | { kind: 'user'; file: string }
  | { kind: 'default' };

export interface ConfigProblem {
  key: string;
  origin: Origin;
  /** One line a person can act on: what, the value, what is allowed, where it came from. */
  message: string;
}

export function describeOrigin(origin: Origin): string {
  switch (origin.kind) {
    case 'env':
      return `environment variable ${origin.name}`;
    case 'project':
      return `project file ${origin.file}`;
    case 'user':
      return `user file ${origin.file}`;
    case 'default':
      return 'default';
  }
}

export function howToFix(origin: Origin): string {
  switch (origin.kind) {
    case 'env':
      return `fix or unset ${origin.name}`;
    case 'project':
    case 'user':
      return `edit ${origin.file}`;
    case 'default':
      return 'report this as a bug';
  }
}
