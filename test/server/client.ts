// SDK clients against the reference server, and readers for its two answer shapes.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export async function connectHttp(url: string, token?: string): Promise<Client> {
  const client = new Client({ name: 'taskhooks-test', version: '0.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: token ? { headers: { Authorization: `Bearer ${token}` } } : {},
  });
  await client.connect(transport);
  return client;
}

export async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  if (first?.type !== 'text') throw new Error(`expected a text content, got ${JSON.stringify(result.content)}`);
  return first.text;
}

/** The agenthub envelope parsed from content[0].text, as its clients read it. */
export async function envelope(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<Record<string, any>> {
  return JSON.parse(textOf(await call(client, name, args))) as Record<string, any>;
}

export async function data(client: Client, name: string, args: Record<string, unknown>): Promise<Record<string, any>> {
  const env = await envelope(client, name, args);
  if (!env.success) throw new Error(`${name} ${JSON.stringify(args)} failed: ${JSON.stringify(env.error)}`);
  return env.data as Record<string, any>;
}
