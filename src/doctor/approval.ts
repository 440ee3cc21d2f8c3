// An agent's answer on whether it runs the hooks install wrote: yes or no with why, or why it cannot tell.
export type Approval = { approved: true; detail: string } | { approved: false; detail: string } | { unknown: string };
