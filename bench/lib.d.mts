// The types of the parts of lib.mjs a TypeScript test uses.
/** The kernel's clock ticks a second. */
export const CLOCK_TICKS: number;

/** A program's starts and CPU ms in a trace. */
export interface ProgramRuns {
  count: number;
  ms: number;
}

export function programsStarted(...traces: string[]): Record<string, ProgramRuns>;
export function programsCell(byName: Record<string, ProgramRuns>): string;

/** A stub MCP server over http listing `tools` at once. */
export function mcpStub(tools: unknown[]): Promise<{ url: string; listings(): number; close(): void }>;
