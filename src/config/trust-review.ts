// What trusting a repository's own files would allow, worded for `taskhooks trust` before it records them: the
// settings an untrusted project config may not make, and the headers a trusted .mcp.json lends.
import { UserError } from '../errors/user.js';
import { isJsonObject } from '../util/object.js';
import { projectLayer } from './trust.js';

export interface FileReview {
  file: string;
  text: string;
  /** What trusting it allows, one line each. */
  grants: string[];
}

/** A file's JSON, or the one line saying it cannot be trusted as it is. */
function parsedToTrust(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file} is not valid JSON (${(err as Error).message}); fix it before trusting it`);
  }
}

/** The lines that say what a project config does once trusted: the settings an untrusted file may not make. */
function reviewProjectConfig(file: string, text: string): FileReview {
  const value = parsedToTrust(file, text);
  if (!isJsonObject(value)) throw new UserError(`${file} must hold a JSON object; fix it before trusting it`);
  const source = isJsonObject(value.source) ? value.source : {};
  const grants: string[] = [];
  if (source.command !== undefined)
    grants.push(
      `runs ${[source.command, ...(Array.isArray(source.args) ? source.args : [])].map((v) => JSON.stringify(v)).join(' ')}`,
    );
  const servers = [
    ...(Array.isArray(source.servers) ? source.servers : []),
    ...(source.trackingUrl !== undefined ? [source.trackingUrl] : []),
  ];
  if (servers.length > 0)
    grants.push(`sends your task-server credentials to ${servers.map((v) => JSON.stringify(v)).join(', ')}`);
  const others = projectLayer(value, false).ignored.filter(
    (k) => !/^source\.(command|args|servers|trackingUrl)$/.test(k),
  );
  if (others.length > 0) grants.push(`also sets ${others.join(', ')}`);
  return { file, text, grants };
}

/** The lines that say what a trusted .mcp.json lends: the headers of each server entry (their values never shown). */
function reviewMcpJson(file: string, text: string): FileReview {
  const value = parsedToTrust(file, text);
  const servers = isJsonObject(value) && isJsonObject(value.mcpServers) ? Object.entries(value.mcpServers) : [];
  const grants = servers.flatMap(([name, entry]) => {
    if (!isJsonObject(entry) || !isJsonObject(entry.headers)) return [];
    const url = typeof entry.url === 'string' ? ` (${entry.url})` : '';
    return [`lends the ${Object.keys(entry.headers).join(', ')} header(s) of "${name}"${url} to taskhooks`];
  });
  return { file, text, grants };
}

/** The review of one file, read as the kind of file it is. */
export function reviewTrust(file: string, text: string, kind: 'project-config' | 'mcp-json'): FileReview {
  return kind === 'mcp-json' ? reviewMcpJson(file, text) : reviewProjectConfig(file, text);
}
