// The translation helpers the adapters share: renaming a call's tool to Claude Code's, naming the file it edits
// absolutely, as Claude Code does (an agent may send a path relative to its working directory), and the files of a
// patch in Codex's `apply_patch` form, which Copilot CLI's edits take too.
import path from 'node:path';

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The input with its tool named as Claude Code names it (`tools` maps the agent's names) and `tool_input.file_path`
 * set by `filePath` when it gives one, the other files the call edits in `tool_input.file_paths`; the agent's own name
 * stays in `agent_tool_name`.
 */
export function renamedTool(
  raw: Record<string, unknown>,
  tools: Readonly<Record<string, string>>,
  filePath?: (toolInput: Record<string, unknown>) => string | undefined,
  otherFiles: readonly string[] = [],
): Record<string, unknown> {
  const name = raw.tool_name;
  if (typeof name !== 'string') return raw;
  const common = tools[name];
  const out: Record<string, unknown> = common ? { ...raw, tool_name: common, agent_tool_name: name } : { ...raw };
  const toolInput = raw.tool_input;
  if (!isObject(toolInput)) return out;
  const file = filePath?.(toolInput) ?? (typeof toolInput.file_path === 'string' ? toolInput.file_path : undefined);
  if (file === undefined) return out;
  const cwd = typeof raw.cwd === 'string' ? raw.cwd : undefined;
  const absolute = (f: string): string => (path.isAbsolute(f) || !cwd ? f : path.resolve(cwd, f));
  const others = otherFiles.length > 0 ? { file_paths: otherFiles.map(absolute) } : {};
  return { ...out, tool_input: { ...toolInput, file_path: absolute(file), ...others } };
}

/** The input with `hook_event_name` in Claude Code's words, the agent's own kept in `agent_event_name`. */
export function renamedEvent(
  raw: Record<string, unknown>,
  events: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const name = raw.hook_event_name;
  const common = typeof name === 'string' ? events[name] : undefined;
  return common && common !== name ? { ...raw, hook_event_name: common, agent_event_name: name } : raw;
}

/**
 * A tool_response of `{llmContent, returnDisplay}` (Gemini CLI's and Qwen Code's): the events read what the model
 * read.
 */
export function modelReadResponse(raw: Record<string, unknown>): Record<string, unknown> {
  const r = raw.tool_response;
  if (!isObject(r) || !('llmContent' in r)) return raw;
  return { ...raw, tool_response: r.llmContent };
}

/**
 * The markers of the files a patch touches. Codex's parser (codex-rs/apply-patch, lenient by default) reads a hunk's
 * header from the line trimmed of white space, so a marker padded with spaces or a tab names a file all the same: each
 * line is read trimmed here too, and Move to likewise (Codex wants that one unpadded: reading more is the safe side).
 */
const FILE_MARKERS = ['*** Add File: ', '*** Update File: ', '*** Delete File: ', '*** Move to: '] as const;

/** Every file a patch of Codex's `apply_patch` adds, updates, deletes or moves to, in its order. */
export function patchFiles(patch: unknown): string[] {
  if (typeof patch !== 'string') return [];
  const files: string[] = [];
  // Codex splits on LF (dropping a CR before it); one pass, linear in the patch's length however large.
  for (const line of patch.split('\n')) {
    const header = line.trim();
    if (!header.startsWith('***')) continue;
    const marker = FILE_MARKERS.find((m) => header.startsWith(m));
    const file = marker ? header.slice(marker.length).trim() : '';
    if (file !== '') files.push(file);
  }
  return files;
}
