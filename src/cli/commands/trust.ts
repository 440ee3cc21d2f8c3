// `taskhooks trust`: the user's word that a repository's own config files may do everything a config can (run a
// Task Master command, send the user's credentials to the servers they name). It shows what that is first, and
// records each file with its content hash: any later change needs trusting again.
import { existsSync } from 'node:fs';
import { findProjectFiles } from '../../config/project.js';
import { revokeTrust, trustFiles, digest } from '../../config/trust.js';
import { reviewTrust } from '../../config/trust-review.js';
import { defineCommand } from '../args.js';
import type { Command } from '../command.js';
import { dirFlag, dirFromFlags, JSON_FLAG, PROJECT_DIR_ALIAS } from '../flags.js';
import { paint, printJson } from '../output.js';
import { CONFIG_MAX_BYTES, readTextCapped } from '../../util/safe-read.js';

export const trustCommands: Command[] = [
  defineCommand({
    name: 'trust',
    summary:
      "Trust this repository's own taskhooks config and .mcp.json (shows what they do first); --revoke takes it back",
    description:
      "Until trusted, a repository's .claude/taskhooks.json may not run a command or send your credentials anywhere, and its\n" +
      ".mcp.json lends no headers. Trust is recorded with each file's hash: any later change needs trusting again.",
    flags: {
      dir: dirFlag('the repository to trust (default: the working directory)'),
      project: PROJECT_DIR_ALIAS,
      revoke: { type: 'boolean', description: 'take the trust back instead' },
      json: JSON_FLAG,
    },
    examples: [
      { command: 'taskhooks trust', description: "review and trust this repository's files" },
      { command: 'taskhooks trust --revoke' },
    ],
    // Trust decides what of the config counts: it must run whatever the config says.
    allowInvalidConfig: true,
    async run(ctx, { values }) {
      const dir = dirFromFlags(ctx, values, ctx.cwd);
      const { home } = ctx.settings;
      const project = findProjectFiles(dir);
      const mcpJson = project.mcpJson !== undefined && existsSync(project.mcpJson) ? project.mcpJson : undefined;
      const files = [project.configFile, mcpJson].filter((f): f is string => f !== undefined);
      if (values.revoke) {
        const revoked = revokeTrust(home, files);
        if (values.json) printJson(ctx.out, { revoked: files, count: revoked });
        else
          ctx.out.stdout.write(
            revoked > 0 ? `No longer trusted: ${files.join(', ')}\n` : `Nothing was trusted in ${dir}.\n`,
          );
        return 0;
      }
      if (files.length === 0) {
        if (values.json) printJson(ctx.out, { trusted: [] });
        else ctx.out.stdout.write(`Nothing to trust in ${dir}: no .claude/taskhooks.json and no .mcp.json.\n`);
        return 0;
      }
      const reviews = files.map((file) =>
        reviewTrust(file, readTextCapped(file, CONFIG_MAX_BYTES), file === mcpJson ? 'mcp-json' : 'project-config'),
      );
      trustFiles(home, reviews);
      if (values.json) {
        printJson(ctx.out, {
          trusted: reviews.map((r) => ({ file: r.file, sha256: digest(r.text), grants: r.grants })),
        });
        return 0;
      }
      for (const r of reviews) {
        ctx.out.stdout.write(
          `${paint(ctx.out, 'green', '✓')} trusted ${r.file} (sha256 ${digest(r.text).slice(0, 12)}…)\n`,
        );
        for (const g of r.grants) ctx.out.stdout.write(`  ${paint(ctx.out, 'yellow', 'it')} ${g}\n`);
      }
      ctx.out.stdout.write(
        'Any change to these files makes them untrusted again; `taskhooks trust --revoke` takes it back now.\n',
      );
      return 0;
    },
  }),
];
