// Where Gemini CLI reads hooks: `.gemini/settings.json` of a trusted project, or `~/.gemini/settings.json`; timeouts
// in milliseconds. It has no channel that wakes an idle session.
import type { AgentConfig } from '../agent.js';
import { agentHome, homeDir, mirroredBindings, settingsFileConfig } from '../config-home.js';
import { TOOLS } from './hooks.js';

export const geminiConfig: AgentConfig = settingsFileConfig({
  command: 'gemini',
  home: agentHome('.gemini'),
  projectFolder: '.gemini',
  userRoot: homeDir,
  bindings: [
    ...mirroredBindings(
      {
        sessionStart: 'SessionStart',
        userPrompt: 'BeforeAgent',
        preTool: 'BeforeTool',
        postTool: 'AfterTool',
        sessionEnd: 'SessionEnd',
      },
      TOOLS,
    ),
    // Its turn's end, as Claude Code's Stop: the work record as the session goes, with the turn's words, so a session
    // killed later (no SessionEnd) keeps one.
    { event: 'AfterAgent', matcher: '', hooks: ['turn-end'] },
  ],
  timeoutUnitMs: 1,
  httpUrlKey: 'url',
});
