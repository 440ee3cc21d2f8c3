import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};

// src/log/escapes.ts
var init_escapes = __esm({
  "src/log/escapes.ts"() {
    "use strict";
  }
});

// src/log/disguise.ts
var MARKS, PIECE, TOKEN_CLASS, TOKEN_TABLE, TOKEN_CHAR, kept, MARKED_RUN, SPLIT_RUN, MAY_DIFFER, TOKEN_RUN;
var init_disguise = __esm({
  "src/log/disguise.ts"() {
    "use strict";
    init_escapes();
    MARKS = new RegExp("\\p{M}", "gu");
    PIECE = 8;
    TOKEN_CLASS = "A-Za-z0-9_+/=.\\-";
    TOKEN_TABLE = new Uint8Array(128);
    TOKEN_CHAR = new RegExp(`[${TOKEN_CLASS}]`);
    for (let c = 0; c < 128; c++) TOKEN_TABLE[c] = TOKEN_CHAR.test(String.fromCharCode(c)) ? 1 : 0;
    kept = new Int32Array(0);
    MARKED_RUN = "(?=[A-Z+/=.\\-]*(?:[0-9_]|[a-z][a-z+/=.\\-]*[A-Z0-9_]))";
    SPLIT_RUN = "[ \\t\\r\\n]{1,18}";
    MAY_DIFFER = new RegExp(
      [
        "(?<beyond>[^\\0-\\x7f])",
        "%[0-9A-Fa-f]{2}",
        "&(?:#|[A-Za-z]{2,14};)",
        `(?<![${TOKEN_CLASS}])(?=[${TOKEN_CLASS}]{${PIECE}})${MARKED_RUN}(?<before>[${TOKEN_CLASS}]+)${SPLIT_RUN}[${TOKEN_CLASS}]`,
        `(?<after>[${TOKEN_CLASS}])${SPLIT_RUN}(?=[${TOKEN_CLASS}]{${PIECE}})${MARKED_RUN}`
      ].join("|"),
      "gu"
    );
    TOKEN_RUN = new RegExp(`[${TOKEN_CLASS}]+`, "y");
  }
});

// src/log/secret-name.ts
var SECRET_NAME;
var init_secret_name = __esm({
  "src/log/secret-name.ts"() {
    "use strict";
    SECRET_NAME = /secret|token|password|passwd|authorization|api[-_]?key|credential|cookie|assertion/i;
  }
});

// src/agents/opencode/plugin.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import path10 from "node:path";
import { fileURLToPath } from "node:url";

// src/home/dir.ts
import os from "node:os";
import path from "node:path";
function resolveHome(env = process.env, platform = process.platform, homedir = os.homedir()) {
  const paths = platform === "win32" ? path.win32 : path.posix;
  const explicit = env.TASKHOOKS_HOME?.trim()?.replace(
    /^\/([a-z])(?=\/)/i,
    (drive, letter) => paths === path.win32 ? `${letter.toUpperCase()}:` : drive
  );
  return paths.resolve(explicit || paths.join(homedir, ".taskhooks"));
}

// src/agents/opencode/call.ts
import { spawn } from "node:child_process";
import path6 from "node:path";

// src/util/executable.ts
import { accessSync, constants, statSync } from "node:fs";
import path3 from "node:path";

// src/util/child-process.ts
import path2 from "node:path";
function searchedFolders(value, paths) {
  return value.split(paths.delimiter).filter((dir) => paths.isAbsolute(dir));
}
function absolutePathValue(value, paths = path2) {
  const kept2 = searchedFolders(value, paths);
  return kept2.length > 0 ? kept2.join(paths.delimiter) : void 0;
}
function childValue(name, value, platform = process.platform) {
  return /^path$/i.test(name) ? absolutePathValue(value, platform === "win32" ? path2.win32 : path2.posix) : value;
}
function withAbsolutePath(env) {
  const out = {};
  for (const [name, value] of Object.entries(env)) {
    const kept2 = value === void 0 ? void 0 : childValue(name, value);
    if (kept2 !== void 0) out[name] = kept2;
  }
  return out;
}

// src/util/executable.ts
function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
var DEFAULT_PATHEXT = ".COM;.EXE;.BAT;.CMD";
function fileNames(name, env, platform) {
  if (platform !== "win32") return [name];
  const extensions = (env.PATHEXT || DEFAULT_PATHEXT).split(";").map((e) => e.trim().toLowerCase()).filter((e) => e.startsWith("."));
  if (extensions.includes(path3.extname(name).toLowerCase())) return [name];
  return extensions.map((e) => name + e);
}
function findOnPath(name, env, platform = process.platform, { paths = path3, isFile = isExecutable } = {}) {
  const names = fileNames(name, env, platform);
  for (const dir of searchedFolders(env.PATH ?? env.Path ?? "", paths)) {
    for (const file of names) {
      const candidate = paths.join(dir, file);
      if (isFile(candidate)) return candidate;
    }
  }
  return void 0;
}
var ProgramNotFoundError = class extends Error {
  constructor(program) {
    super(
      `cannot run ${program}: it is not in any folder on the PATH (the working folder is never searched); install it or add its folder to PATH`
    );
    this.program = program;
    this.name = "ProgramNotFoundError";
  }
  program;
  /** What the system says of a program it cannot find, so callers that read errno codes treat both alike. */
  code = "ENOENT";
};
var found = /* @__PURE__ */ new Map();
function programToRun(name, env = process.env, platform = process.platform) {
  if ((platform === "win32" ? /[\\/]/ : /\//).test(name)) return name;
  const key = [platform, name, env.PATH ?? env.Path, env.PATHEXT].join("\0");
  const known = found.get(key);
  if (known !== void 0) return known;
  const file = findOnPath(name, env, platform);
  if (file === void 0) return new ProgramNotFoundError(name);
  found.set(key, file);
  return file;
}

// src/home/served-post.ts
import { lstatSync as lstatSync2 } from "node:fs";
import net from "node:net";

// src/util/safe-read.ts
import { closeSync, constants as constants2, fstatSync, lstatSync, openSync, readSync, statSync as statSync2 } from "node:fs";
var CONFIG_MAX_BYTES = 1024 * 1024;
var SMALL_MAX_BYTES = 64 * 1024;
function kindOfStats(s) {
  if (!s) return "missing";
  if (s.isFile()) return "file";
  if (s.isDirectory()) return "directory";
  if (s.isFIFO()) return "FIFO";
  if (s.isSocket()) return "socket";
  if (s.isSymbolicLink()) return "symbolic link";
  return s.isCharacterDevice() ? "character device" : "block device";
}
var RefusedFileError = class extends Error {
  constructor(file, code, reason) {
    super(`${file} is ${reason}, so it was not read`);
    this.file = file;
    this.code = code;
    this.reason = reason;
    this.name = "RefusedFileError";
  }
  file;
  code;
  reason;
};
var notRegular = (file, kind) => new RefusedFileError(file, "ENOTREG", `a ${kind}, not a regular file`);
function refuse(file, s, maxBytes) {
  const kind = kindOfStats(s);
  if (kind === "directory") throw new RefusedFileError(file, "EISDIR", "a directory, not a file");
  if (kind !== "file") throw notRegular(file, kind);
  if (s.size > maxBytes) throw new RefusedFileError(file, "EFBIG", `${s.size} bytes, over the ${maxBytes}-byte limit`);
}
var tooBig = (file, maxBytes) => new RefusedFileError(file, "EFBIG", `over the ${maxBytes}-byte limit`);
function readFileCapped(file, maxBytes) {
  refuse(file, statSync2(file), maxBytes);
  const fd = openSync(file, constants2.O_RDONLY | constants2.O_NONBLOCK);
  try {
    const s = fstatSync(fd);
    refuse(file, s, maxBytes);
    let buf = Buffer.allocUnsafe(s.size + 1);
    let length = 0;
    for (; ; ) {
      if (length === buf.length) {
        if (length > maxBytes) throw tooBig(file, maxBytes);
        const grown = Buffer.allocUnsafe(Math.min(buf.length * 2, maxBytes + 1));
        buf.copy(grown, 0, 0, length);
        buf = grown;
      }
      const n = readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) throw tooBig(file, maxBytes);
    return buf.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}
function readTextCapped(file, maxBytes) {
  return readFileCapped(file, maxBytes).toString("utf8");
}

// src/util/file-lock.ts
function isProcessAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}
function readLockFile(file) {
  try {
    return readTextCapped(file, SMALL_MAX_BYTES);
  } catch {
    return void 0;
  }
}

// src/home/files.ts
import path5 from "node:path";

// src/log/logger.ts
import path4 from "node:path";

// src/log/redact.ts
init_disguise();
init_secret_name();
var NAMED_VALUE = new RegExp(
  `(?:${SECRET_NAME.source})[\\\\"'\`*]{0,3}[ \\t]*[:=]|-(?:${SECRET_NAME.source})[ \\t]`,
  "i"
);

// src/log/rotate.ts
var DEFAULT_LOG_LIMITS = { maxBytes: 10 * 1024 * 1024, keep: 3 };

// src/log/logger.ts
function logDir(home) {
  return path4.join(home, "logs");
}

// src/home/files.ts
var at = (home, name) => path5.join(home, name);
function filesIn(home) {
  return {
    /** The user's config. */
    config: at(home, "config.json"),
    /** The project files the user trusted, each with the hash of the content trusted. */
    trust: at(home, "trusted.json"),
    /** The hooks' validated-config cache (holds the config files' secrets, never the environment's). */
    configCache: at(home, "config-cache.json"),
    /** The random key of the HMAC that stands for environment values in the config cache's keys. */
    configCacheKey: at(home, "config-cache.key"),
    /** The shared cache: snapshots, git state, tokens, breakers, projects, alerts. */
    cache: at(home, "cache.db"),
    /** The embedded store: the only copy of the user's tasks. */
    tasks: at(home, "tasks.db"),
    /** Checked copies of tasks.db (0700; each 0600), taken by the monitor and before migrations. */
    backups: at(home, "backups"),
    /** Install's backups of the files it changed that hold a secret (0700; each 0600), never kept beside them. */
    fileBackups: at(home, "file-backups"),
    /** A lock per file install or trust is rewriting, a user's or this directory's (0700; see files/write-lock.ts). */
    fileLocks: at(home, "file-locks"),
    /** What the last restore of tasks.db from a backup found and did, for `doctor`. */
    recovery: at(home, "recovery.json"),
    /** One-line notices waiting to be told once, a folder per channel (see notices.ts). */
    notices: at(home, "notices"),
    /** Where the store server serves the embedded store, with its token: named as earlier monitors still write it. */
    storeServer: at(home, "embedded.json"),
    /** Touched to wake the monitor: something changed that it should fetch again now (see signals.ts). */
    signals: at(home, "signals"),
    /** The pid of each session's newest waiting rewake watch, a file per session: an older one sees it and ends. */
    watchers: at(home, "watchers"),
    /** Left by a hook that found the disk full (empty: it takes no space), so the first to find room says so once. */
    diskFull: at(home, "disk-full"),
    /** The served hooks' token, good for the hook port only (see endpoint.ts). */
    hookToken: at(home, "hook-token"),
    /** What `taskhooks dashboard` asks for a sign-in link with: in no session's environment, unlike the hook token. */
    dashboardToken: at(home, "dashboard-token"),
    /** The store server's token, good for its port only: what a session's task tools send. */
    storeToken: at(home, "store-token"),
    /**
     * The connections a store server admitted in its first minute and the tools/list it answered them
     * (TOOLS_LISTED_PREFIX), by client socket, which SessionStart waits for.
     */
    toolsClients: at(home, "tools-clients"),
    /** The ports last written into installed files, which the monitor takes back first (see endpoint.ts). */
    endpoint: at(home, "endpoint.json"),
    /** The folders install made for the files it wrote: uninstall removes only those, once empty. */
    installFolders: at(home, "install-folders.json"),
    serverToken: at(home, "server-token"),
    logs: logDir(home),
    ...monitorFilesIn(home)
  };
}
function monitorFilesIn(home) {
  return {
    /** The monitor's lock, holding its pid. */
    lock: at(home, "monitor.pid"),
    /** Held by the hook that starts the monitor when none runs, while others wait for it (see monitor-starter.ts). */
    starter: at(home, "monitor.starting"),
    /** A folder: the perl clients' mark that a herd's first session found no monitor (hooks/monitor-wait.pl). */
    starterMark: at(home, "monitor.wanted"),
    /** What a running monitor publishes about itself. */
    info: at(home, "monitor.json"),
    /** The monitor's served hooks without a token: only the directory's owner reaches it (see endpoint.ts). */
    monitorSocket: at(home, "monitor.sock"),
    /** The plugin's hook tool as an MCP stream per connection (src/monitor/serve/mcp-socket.ts), likewise the owner's only. */
    mcpSocket: at(home, "mcp.sock"),
    monitorLog: path5.join(logDir(home), "monitor.log"),
    monitorStderr: path5.join(logDir(home), "monitor.stderr")
  };
}
var named = /* @__PURE__ */ new Map();
function homeFiles(home) {
  let files = named.get(home);
  if (!files) named.set(home, files = Object.freeze(filesIn(home)));
  return files;
}

// src/home/endpoint-record.ts
function readHookToken(home) {
  try {
    return readTextCapped(homeFiles(home).hookToken, SMALL_MAX_BYTES).trim() || void 0;
  } catch {
    return void 0;
  }
}

// src/home/lock.ts
import { readFileSync, unlinkSync } from "node:fs";
function readOwner(file) {
  const raw = readLockFile(file);
  if (raw === void 0) return void 0;
  try {
    const v = JSON.parse(raw);
    if (typeof v.pid === "number" && Number.isInteger(v.pid) && v.pid > 0)
      return { owner: { pid: v.pid, startedAt: Number(v.startedAt) || 0, since: v.since }, raw };
  } catch {
  }
  return { owner: { pid: 0, startedAt: 0 }, raw };
}
var bootId;
function statFields(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return void 0;
  }
}
function sinceOf(fields) {
  try {
    bootId ??= readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return void 0;
  }
  return fields ? `${bootId}/${fields[19]}` : void 0;
}
function lockIdentity(owner) {
  if (!isProcessAlive(owner.pid)) return "other";
  const fields = statFields(owner.pid);
  if (fields?.[0] === "Z" || fields?.[0] === "X") return "other";
  if (owner.since === void 0) {
    try {
      const line = readFileSync(`/proc/${owner.pid}/cmdline`, "latin1");
      if (!/\0monitor\0run(\0|$)|(cli\.js|taskhooks)\0start(\0|$)/.test(line)) return "other";
    } catch {
    }
    return "unknown";
  }
  const now = sinceOf(fields);
  return !now ? "unknown" : now === owner.since ? "monitor" : "other";
}
function readLiveOwner(home) {
  const found2 = readOwner(homeFiles(home).lock);
  if (!found2) return void 0;
  const identity = lockIdentity(found2.owner);
  return identity === "other" ? void 0 : { ...found2.owner, identity };
}

// src/home/endpoint.ts
var SOCKET_PATH_MAX = 103;
function monitorSocketPath(home, platform = process.platform) {
  return socketPath(homeFiles(home).monitorSocket, platform);
}
var socketPath = (file, platform) => platform !== "win32" && Buffer.byteLength(file) <= SOCKET_PATH_MAX ? file : void 0;

// src/home/monitor-info.ts
var own;
function monitorNow(home) {
  if (own?.home === home && own.valid()) return own.now;
  const owner = readLiveOwner(home);
  if (!owner) return { owner, info: void 0 };
  try {
    const info = JSON.parse(readTextCapped(homeFiles(home).info, SMALL_MAX_BYTES));
    return { owner, info: info.pid === owner.pid ? info : void 0 };
  } catch {
    return { owner, info: void 0 };
  }
}
function readMonitorInfo(home) {
  return monitorNow(home).info;
}

// src/home/monitor-proof.ts
var nodeCrypto = () => process.getBuiltinModule("node:crypto");
var NONCE_HEADER = "x-taskhooks-nonce";
var PROOF_HEADER = "x-taskhooks-proof";
var newNonce = () => nodeCrypto().randomBytes(16).toString("hex");
function monitorProof(token, nonce, pid) {
  return nodeCrypto().createHmac("sha256", token).update(`taskhooks monitor ${pid} ${nonce}`).digest("hex");
}
var provesMonitor = (given, token, nonce, pid) => typeof given === "string" && given === monitorProof(token, nonce, pid);

// src/home/served-post.ts
var MAX_ANSWER_BYTES = 1024 * 1024;
function ownSocket(file) {
  try {
    const st = lstatSync2(file);
    return st.isSocket() && st.uid === process.getuid?.();
  } catch {
    return false;
  }
}
function monitorEndpoints(home, info = readMonitorInfo(home)) {
  const out = [];
  const socket = monitorSocketPath(home);
  if (socket && ownSocket(socket)) out.push({ socketPath: socket });
  const port = info?.hookPort;
  if (!info || typeof port !== "number" || port <= 0) return out;
  const token = readHookToken(home);
  if (token) out.push({ port, token, pid: info.pid });
  return out;
}
var UNREACHABLE = /* @__PURE__ */ new Set(["ENOENT", "ECONNREFUSED", "ENOTSOCK", "EACCES"]);
async function postToMonitor(to, route, body, asker, waitMs) {
  const deadline = Date.now() + waitMs;
  if ("port" in to && !await proves(to, deadline)) return "unreachable";
  const head = [
    `POST /hooks/${route} HTTP/1.0`,
    "Host: localhost",
    "Content-Type: application/json",
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Taskhooks-Agent-Pid: ${asker.agentPid}`,
    ...asker.agent ? [`X-Taskhooks-Agent: ${asker.agent}`] : [],
    ..."token" in to ? [`X-Taskhooks-Token: ${to.token}`] : []
  ];
  const response = await exchange(to, `${head.join("\r\n")}\r
\r
${body}`, deadline);
  return typeof response === "string" ? response : answerOf(response.toString("utf8"));
}
async function proves(to, deadline) {
  const nonce = newNonce();
  const response = await exchange(
    to,
    `GET /hooks/probe HTTP/1.0\r
Host: localhost\r
${NONCE_HEADER}: ${nonce}\r
\r
`,
    deadline
  );
  if (typeof response === "string") return false;
  const head = response.toString("latin1", 0, Math.max(0, response.indexOf("\r\n\r\n")));
  const proof = new RegExp(`^${PROOF_HEADER}:[ \\t]*([0-9a-f]+)[ \\t]*$`, "im").exec(head)?.[1];
  return provesMonitor(proof, to.token, nonce, to.pid);
}
function exchange(to, request, deadline) {
  return new Promise((resolve) => {
    const socket = "socketPath" in to ? net.connect(to.socketPath) : net.connect(to.port, "127.0.0.1");
    const chunks = [];
    let size = 0;
    let done = false;
    const finish = (a) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(a);
    };
    const timer = setTimeout(() => finish("late"), Math.max(0, deadline - Date.now()));
    socket.on("connect", () => socket.write(request));
    socket.on("data", (d) => {
      size += d.length;
      if (size > MAX_ANSWER_BYTES) finish("late");
      else chunks.push(d);
    });
    socket.on("end", () => finish(Buffer.concat(chunks)));
    socket.on(
      "error",
      (err) => finish(!socket.bytesWritten && UNREACHABLE.has(err.code ?? "") ? "unreachable" : "late")
    );
  });
}
function answerOf(response) {
  const end = response.indexOf("\r\n\r\n");
  if (end < 0 || !/^HTTP\/1\.[01] 200 /.test(response)) return "late";
  const text = response.slice(end + 4);
  const length = /^content-length:\s*(\d+)\s*$/im.exec(response.slice(0, end))?.[1];
  return length === void 0 || Buffer.byteLength(text) === Number(length) ? { text } : "late";
}

// src/home/monitor-late.ts
var MONITOR_LATE_ENV = "TASKHOOKS_MONITOR_LATE";

// src/agents/opencode/call.ts
var SERVED_WAIT_MS = 300;
var COMMAND_WAIT_MS = 15e3;
var MAX_ANSWER_BYTES2 = 1024 * 1024;
function parseAnswer(text) {
  const trimmed = text.trim();
  if (trimmed === "") return {};
  const value = JSON.parse(trimmed);
  if (typeof value !== "object" || value === null) return void 0;
  const { context, deny } = value;
  return {
    ...typeof context === "string" ? { context } : {},
    ...typeof deny === "string" ? { deny } : {}
  };
}
async function post(to, name, body, agentPid) {
  const served = await postToMonitor(to, name, body, { agentPid, agent: "opencode" }, SERVED_WAIT_MS);
  if (typeof served !== "object") return served;
  try {
    return parseAnswer(served.text) ?? "late";
  } catch {
    return "late";
  }
}
function runEntry(t, name, body, late) {
  return new Promise((resolve) => {
    const script = path6.join(t.root, "dist", "hooks", `${name}.js`);
    const env = withAbsolutePath(late ? { ...process.env, [MONITOR_LATE_ENV]: "1" } : process.env);
    const node = programToRun(t.node, env);
    if (node instanceof Error) {
      t.log(`${name}: ${node.message}; nothing said`);
      return resolve(void 0);
    }
    const child = spawn(node, [script, "--agent=opencode"], { cwd: t.cwd, env, stdio: ["pipe", "pipe", "ignore"] });
    let out = "";
    const timer = setTimeout(() => {
      t.log(`${name}: ${script} gave no answer within ${COMMAND_WAIT_MS} ms; stopped it, nothing said`);
      child.kill("SIGKILL");
    }, COMMAND_WAIT_MS);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d) => {
      if (out.length < MAX_ANSWER_BYTES2) out += d;
    });
    child.stdin.on("error", () => void 0);
    child.on("error", (err) => {
      clearTimeout(timer);
      t.log(`${name}: cannot run ${t.node} ${script} (${err.message}); nothing said`);
      resolve(void 0);
    });
    child.on("close", () => {
      clearTimeout(timer);
      try {
        resolve(parseAnswer(out));
      } catch {
        t.log(`${name}: ${script} printed what is not an answer; nothing said`);
        resolve(void 0);
      }
    });
    child.stdin.end(body);
  });
}
async function callEntry(t, name, input) {
  const body = JSON.stringify(input);
  let late = false;
  for (const to of monitorEndpoints(t.home)) {
    const served = await post(to, name, body, t.agentPid);
    if (typeof served === "object") return served;
    late = served === "late";
    if (late) break;
  }
  return await runEntry(t, name, body, late) ?? {};
}

// src/agents/opencode/config.ts
import path8 from "node:path";

// src/agents/config-home.ts
import os2 from "node:os";
import path7 from "node:path";
function homeDir(env, platform = process.platform) {
  return (platform === "win32" ? env.USERPROFILE : env.HOME)?.trim() || os2.homedir();
}
function agentHome(dir, variable) {
  return (env) => variable && env[variable]?.trim() || path7.join(homeDir(env), dir);
}
function homeOrProjectFile(home, userFile, projectFile) {
  return (scope, projectDir, env) => scope === "user" ? path7.join(home(env), userFile) : path7.join(projectDir, projectFile);
}
function mirroredBindings(events, tools, o = {}) {
  return [
    { event: events.sessionStart, matcher: "", hooks: ["session-start"] },
    { event: events.userPrompt, matcher: "", hooks: ["user-prompt-submit"] },
    { event: events.preTool, matcher: tools ? Object.keys(tools).join("|") : "", hooks: ["pre-tool-use"] },
    {
      event: events.postTool,
      matcher: "",
      hooks: o.remindAfter ? ["post-tool-use", "pre-tool-use"] : ["post-tool-use"]
    },
    { event: events.sessionEnd, matcher: "", hooks: ["session-end"] }
  ];
}
function presenceOf(command, home) {
  return { command, dirs: (env) => [home(env)] };
}

// src/agents/opencode/hooks.ts
var TOOLS = { bash: "Bash", edit: "Edit", write: "Write" };

// src/agents/opencode/config.ts
function opencodeConfigDir(env) {
  return path8.join(agentHome(".config", "XDG_CONFIG_HOME")(env), "opencode");
}
var configFile = homeOrProjectFile(opencodeConfigDir, "opencode.json", "opencode.json");
var opencodeConfig = {
  bindings: mirroredBindings(
    {
      sessionStart: "experimental.chat.system.transform",
      userPrompt: "chat.message",
      preTool: "tool.execute.before",
      postTool: "tool.execute.after",
      sessionEnd: "session.deleted"
    },
    TOOLS,
    { remindAfter: true }
  ),
  timeoutUnitMs: 1e3,
  scopes: ["project", "user"],
  userRoot: opencodeConfigDir,
  configFile,
  idleWake: true,
  presence: presenceOf("opencode", opencodeConfigDir),
  mcp: {
    file: configFile,
    userFile: (env) => path8.join(opencodeConfigDir(env), "opencode.json"),
    userLevel: false,
    table: "mcp",
    entry: (command, args) => ({ type: "local", command: [command, ...args], enabled: true }),
    // `oauth: false`: a refused token is an error at once, not OpenCode's OAuth discovery and a browser login.
    httpEntry: (url, authorization) => ({
      type: "remote",
      url,
      headers: { Authorization: authorization },
      oauth: false,
      enabled: true
    })
  }
};

// src/agents/opencode/wake.ts
import { spawn as spawn2 } from "node:child_process";
import path9 from "node:path";
var REWAKE_EXIT = 2;
var MAX_NEWS_CHARS = 16e3;
function idleWaker(t) {
  const watches = /* @__PURE__ */ new Map();
  const stop = (sessionId) => {
    const child = watches.get(sessionId);
    watches.delete(sessionId);
    child?.kill();
  };
  process.once("exit", () => {
    for (const child of watches.values()) child.kill();
  });
  const wake = (sessionId, news) => {
    t.client.session.promptAsync({ path: { id: sessionId }, body: { parts: [{ type: "text", text: news.trim() }] } }).catch((err) => t.log(`idle wake of ${sessionId}: ${String(err)}; told at the next prompt instead`));
  };
  return {
    idle(sessionId) {
      stop(sessionId);
      const env = withAbsolutePath({ ...process.env, CLAUDE_PID: String(t.agentPid), CLAUDE_PROJECT_DIR: t.cwd });
      delete env.CLAUDE_CODE_SESSION_ATTENDED;
      const cli = path9.join(t.root, "dist", "cli.js");
      const node = programToRun(t.node, env);
      if (node instanceof Error) return t.log(`idle wake: ${node.message}; no wake`);
      const child = spawn2(node, [cli, "watch", "--rewake", "--session", sessionId], {
        cwd: t.cwd,
        env,
        stdio: ["ignore", "ignore", "pipe"]
      });
      watches.set(sessionId, child);
      let news = "";
      child.stderr?.setEncoding("utf8");
      child.stderr?.on("data", (d) => {
        if (news.length < MAX_NEWS_CHARS) news += d;
      });
      child.unref();
      child.stderr?.unref?.();
      child.on("error", (err) => t.log(`idle wake: cannot run ${t.node} ${cli} (${err.message}); no wake`));
      child.on("close", (code) => {
        if (watches.get(sessionId) === child) watches.delete(sessionId);
        if (code === REWAKE_EXIT && news.trim()) wake(sessionId, news);
      });
    },
    busy: stop
  };
}

// src/agents/opencode/plugin.ts
var TITLE_PROMPT = "You are a title generator";
var packageRoot2 = () => path10.resolve(path10.dirname(fileURLToPath(import.meta.url)), "..");
var partCounter = 0;
function partId() {
  partCounter = (partCounter + 1) % 4096;
  const stamp = (BigInt(Date.now()) * 0x1000n + BigInt(partCounter) & 0xffffffffffffn).toString(16).padStart(12, "0");
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  const random = [...randomBytes2(14)].map((b) => alphabet[b % alphabet.length]).join("");
  return `prt_${stamp}${random}`;
}
var bindingOf = (event) => opencodeConfig.bindings.find((b) => b.event === event);
async function askEntries(target, event, fields) {
  const binding = bindingOf(event);
  const tool = fields.tool_name;
  if (!binding) return {};
  if (binding.matcher && !(typeof tool === "string" && new RegExp(`^(${binding.matcher})$`).test(tool))) return {};
  const input = { cwd: target.cwd, hook_event_name: event, ...fields };
  const answers = await Promise.all(binding.hooks.map((name) => callEntry(target, name, input)));
  const context = answers.flatMap((a) => a.context ? [a.context] : []).join("\n\n");
  const deny = answers.find((a) => a.deny)?.deny;
  return { ...context ? { context } : {}, ...deny ? { deny } : {} };
}
var guard = (log) => (name, body) => async (...args) => {
  try {
    await body(...args);
  } catch (err) {
    log(`${name}: ${err instanceof Error ? err.message : String(err)}; nothing said`);
  }
};
function pluginState(ctx, options) {
  const log = (message) => {
    void Promise.resolve().then(() => ctx.client.app?.log?.({ body: { service: "taskhooks", level: "warn", message } })).catch(() => void 0);
  };
  const target = {
    node: typeof options?.node === "string" ? options.node : "node",
    root: packageRoot2(),
    home: resolveHome(process.env),
    agentPid: process.pid,
    cwd: ctx.directory,
    log
  };
  const ask = (event, fields) => askEntries(target, event, fields);
  const started = /* @__PURE__ */ new Map();
  const sessionStart = (sessionId) => {
    let context = started.get(sessionId);
    if (!context) {
      context = ask("experimental.chat.system.transform", { session_id: sessionId, source: "startup" }).then(
        (a) => a.context,
        () => void 0
      );
      started.set(sessionId, context);
    }
    return context;
  };
  return {
    ask,
    guarded: guard(log),
    sessionStart,
    forget: (sessionId) => started.delete(sessionId),
    waker: idleWaker({ ...target, client: ctx.client })
  };
}
function promptHooks({ ask, guarded, sessionStart, waker }) {
  return {
    "experimental.chat.system.transform": guarded(
      "SessionStart",
      async (input, output) => {
        if (!input.sessionID || output.system[0]?.startsWith(TITLE_PROMPT)) return;
        const context = await sessionStart(input.sessionID);
        if (context) output.system.push(context);
      }
    ),
    "chat.message": guarded(
      "UserPromptSubmit",
      async (input, output) => {
        waker.busy(input.sessionID);
        await sessionStart(input.sessionID);
        const prompt = output.parts.flatMap((p) => p.type === "text" && !p.synthetic && p.text ? [p.text] : []);
        const { context } = await ask("chat.message", {
          session_id: input.sessionID,
          prompt_id: output.message.id,
          prompt: prompt.join("\n")
        });
        if (context)
          output.parts.push({
            id: partId(),
            sessionID: input.sessionID,
            messageID: output.message.id,
            type: "text",
            text: context,
            synthetic: true
          });
      }
    )
  };
}
function toolHooks({ ask, guarded }) {
  return {
    "tool.execute.before": async (input, output) => {
      let deny;
      await guarded("PreToolUse", async () => {
        ({ deny } = await ask("tool.execute.before", {
          session_id: input.sessionID,
          tool_use_id: input.callID,
          tool_name: input.tool,
          tool_input: output.args
        }));
      })();
      if (deny) throw new Error(deny);
    },
    "tool.execute.after": guarded(
      "PostToolUse",
      async (input, output) => {
        const { context } = await ask("tool.execute.after", {
          session_id: input.sessionID,
          tool_use_id: input.callID,
          tool_name: input.tool,
          tool_input: input.args,
          tool_response: output.output
        });
        if (context && typeof output.output === "string") output.output += `

${context}`;
      }
    )
  };
}
function eventHook({ ask, guarded, waker, forget }) {
  return {
    event: guarded("event", async ({ event }) => {
      const props = event.properties ?? {};
      if (event.type === "session.idle" && typeof props.sessionID === "string") waker.idle(props.sessionID);
      if (event.type !== "session.deleted") return;
      const info = props.info;
      if (typeof info?.id !== "string") return;
      waker.busy(info.id);
      forget(info.id);
      await ask("session.deleted", { session_id: info.id, reason: "other" });
    })
  };
}
async function taskhooksPlugin(ctx, options) {
  const state = pluginState(ctx, options);
  return { ...promptHooks(state), ...toolHooks(state), ...eventHook(state) };
}
export {
  taskhooksPlugin as default
};
