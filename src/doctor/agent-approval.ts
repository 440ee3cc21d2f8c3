// Whether an agent will run what install wrote for it, in its own terms: Codex's trust of the hooks, Gemini CLI's
// trust of the folder, OpenCode's plugin still where its config says.
import { codexApproval, geminiApproval, type AgentInstallation, type Approval } from './agent-hooks.js';
import { opencodeReadiness } from './opencode.js';

export async function agentApproval(
  a: AgentInstallation,
  projectRoot: string,
  env: NodeJS.ProcessEnv,
): Promise<Approval> {
  switch (a.agent.id) {
    case 'codex':
      return codexApproval(projectRoot, env);
    case 'opencode':
      return opencodeReadiness(a.file);
    default:
      return geminiApproval(projectRoot, env);
  }
}
