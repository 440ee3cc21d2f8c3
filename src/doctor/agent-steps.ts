// doctor's steps on the other agents: for each one whose configuration holds taskhooks' wiring, whether the agent runs
// it (its hooks approved, OpenCode's plugin ready), with the line that approves them.
import { approvalLine } from '../install/agent-approval.js';
import { agentApproval, type AgentInstallation } from './agent-hooks.js';
import type { Approval } from './approval.js';
import { step, type DoctorRun } from './step.js';
import { StepFailure } from './step-failure.js';

export async function agentSteps(
  { args, steps }: DoctorRun,
  projectRoot: string,
  agents: readonly AgentInstallation[],
): Promise<void> {
  for (const a of agents) {
    const what = a.agent.id === 'opencode' ? ['plugin ready', 'plugin'] : ['hooks approved', 'hook approval'];
    await step(steps, `${a.agent.label} ${what[0]}`, `${a.agent.label}'s ${what[1]}`, async () => {
      const answer: Approval = await agentApproval(a.agent, projectRoot, args.env, a.file);
      if ('unknown' in answer) return answer;
      if (answer.approved) return answer.detail;
      throw new StepFailure(
        answer.detail,
        approvalLine(a.agent, { dir: projectRoot, scope: a.scope, file: a.file }, true) ??
          'run `taskhooks install --agent opencode` again from the taskhooks you use',
      );
    });
  }
}
