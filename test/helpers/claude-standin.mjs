// A stand-in for the Claude Code process, run under the name `claude`: it runs the hooks it is given the way Claude
// Code does (a shell, a JSON line on stdin), each through the wrappers it names, says `ready`, and then lives until
// it is killed. STANDIN_HOOKS is a JSON list of {script, input, wrapper}; STANDIN_NAMES_ITSELF=1 passes CLAUDE_PID.
import { spawn } from 'node:child_process';

const hooks = JSON.parse(process.env.STANDIN_HOOKS ?? '[]');
const env = { ...process.env };
delete env.STANDIN_HOOKS;
if (process.env.STANDIN_NAMES_ITSELF === '1') env.CLAUDE_PID = String(process.pid);
else delete env.CLAUDE_PID;

const quote = (s) => `'${String(s).replaceAll("'", "'\\''")}'`;
for (const h of hooks) {
  const command = [...h.wrapper, process.execPath, h.script].map(quote).join(' ');
  const code = await new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], { env, stdio: ['pipe', 'ignore', 'inherit'] });
    child.stdin.end(`${JSON.stringify(h.input)}\n`);
    child.on('exit', resolve);
  });
  if (code !== 0) {
    process.stdout.write(`hook ${h.script} exited ${code}\n`);
    process.exit(1);
  }
}
process.stdout.write('ready\n');
setInterval(() => undefined, 1 << 30);
