// A plugin session's end, as the monitor sees it. Claude Code closes its MCP servers before it runs SessionEnd, so no
// `mcp_tool` hook can take that event, and a command would start a node after every session: the plugin has none.
// Its bridge's connection closing says the session may be over; it is once the session's Claude Code has exited. A
// server reconnected in a live session (`/mcp`) keeps its session.
import { isProcessAlive } from '../../util/file-lock.js';

/** How often, and for how long, a closed bridge's Claude Code is looked for before its session is ended or kept. */
const LOOK_EVERY_MS = 250;
const LOOK_FOR_MS = 15_000;

/** A bridge whose connection closed: the session it named in its first line, and the agent that started it. */
export interface ClosedBridge {
  sessionId: string;
  cwd: string;
  agentPid: number;
}

export interface BridgeEnds {
  /** A bridge's connection closed: its session ends once its agent has exited. */
  closed(bridge: ClosedBridge): void;
  /** The monitor stops: the connections it closes end no session, and the looks under way stop. */
  stop(): void;
}

export function bridgeEnds(
  end: (bridge: ClosedBridge) => void,
  alive: (pid: number) => boolean = isProcessAlive,
): BridgeEnds {
  const looks = new Set<NodeJS.Timeout>();
  let stopped = false;
  return {
    closed(bridge) {
      if (stopped) return;
      const until = Date.now() + LOOK_FOR_MS;
      const look = (): void => {
        if (stopped) return;
        if (!alive(bridge.agentPid)) return end(bridge);
        if (Date.now() >= until) return;
        const timer = setTimeout(() => {
          looks.delete(timer);
          look();
        }, LOOK_EVERY_MS);
        timer.unref();
        looks.add(timer);
      };
      look();
    },
    stop() {
      stopped = true;
      for (const timer of looks) clearTimeout(timer);
      looks.clear();
    },
  };
}
