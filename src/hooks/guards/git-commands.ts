// The commands git ships. Any other `git X` is an alias (from a config file the guard does not read) or a program
// named git-X on the PATH: either may push, so a branch guard asks about it. Small enough for the pre-filter.

/** git's own commands across versions (`git --list-cmds=main`), its helpers and the extensions its installers bundle. */
const GIT_COMMANDS: ReadonlySet<string> = new Set(
  `add add--interactive am annotate apply archimport archive backfill bisect bisect--helper blame branch bugreport
  bundle cat-file check-attr check-ignore check-mailmap check-ref-format checkout checkout--worker checkout-index
  cherry cherry-pick citool clean clone column commit commit-graph commit-tree config count-objects credential
  credential-cache credential-cache--daemon credential-libsecret credential-manager credential-manager-core
  credential-osxkeychain credential-store credential-wincred cvsexportcommit cvsimport cvsserver daemon describe
  diagnose diff diff-files diff-index diff-pairs diff-tree difftool difftool--helper env--helper fast-export
  fast-import fetch fetch-pack filter-branch fmt-merge-msg for-each-ref for-each-repo format-patch fsck fsck-objects
  fsmonitor--daemon gc get-tar-commit-id grep gui hash-object help history hook http-backend http-fetch http-push
  imap-send index-pack init init-db instaweb interpret-trailers last-modified lfs log ls-files ls-remote ls-tree
  mailinfo mailsplit maintenance merge merge-base merge-file merge-index merge-octopus merge-one-file merge-ours
  merge-recursive merge-recursive-ours merge-recursive-theirs merge-resolve merge-subtree merge-tree mergetool mktag
  mktree multi-pack-index mv name-rev notes p4 pack-objects pack-redundant pack-refs patch-id pickaxe prune
  prune-packed pull push quiltimport range-diff read-tree rebase receive-pack reflog refs remote remote-ext
  remote-fd remote-ftp remote-ftps remote-http remote-https repack replace replay repo request-pull rerere reset
  restore rev-list rev-parse revert rm scalar send-email send-pack sh-i18n--envsubst shell shortlog show show-branch
  show-index show-ref sparse-checkout stage stash status stripspace submodule submodule--helper subtree svn switch
  symbolic-ref tag unpack-file unpack-objects update-git-for-windows update-index update-ref update-server-info
  upload-archive upload-archive--writer upload-pack var verify-commit verify-pack verify-tag version web--browse
  whatchanged worktree write-tree`.split(/\s+/),
);

/** Whether git runs `sub` itself (case-insensitively, as a case-insensitive file system finds `git PUSH`). */
export function isGitCommand(sub: string): boolean {
  return GIT_COMMANDS.has(sub.toLowerCase());
}

/** git's options before the subcommand that take the next word as their value. */
export const GIT_GLOBAL_WITH_VALUE: ReadonlySet<string> = new Set([
  '-C',
  '-c',
  '--git-dir',
  '--work-tree',
  '--namespace',
  '--config-env',
  '--super-prefix',
  '--attr-source',
]);

/** git named as a command (`git`, `/usr/bin/git`, `git.exe`), not as part of a path (`.git/config`) or a name. */
const GIT_WORD = /(?<![\w.-])git(?:\.exe)?(?![\w./-])/gi;
/** A word, as the pre-filter sees one: it stops where a shell or a program's list would end it. */
const WORD = /^[^\s;&|<>(),[\]]+/;

/**
 * Whether text (its quotes already removed) names git followed by a subcommand git does not ship: `git p origin
 * main`, or `git " + "push` in a program's code. Cheap: the pre-filter runs it on every Bash command.
 */
export function namesUnlistedGit(text: string): boolean {
  for (const m of text.matchAll(GIT_WORD)) {
    let rest = text.slice(m.index + m[0].length);
    for (;;) {
      rest = rest.replace(/^[\s,[]+/, '');
      const word = WORD.exec(rest)?.[0];
      if (word === undefined) break;
      rest = rest.slice(word.length);
      if (!word.startsWith('-') || word === '-') {
        if (!isGitCommand(word)) return true;
        break;
      }
      if (GIT_GLOBAL_WITH_VALUE.has(word)) rest = rest.replace(/^\s*[^\s;&|<>()]*/, '');
    }
  }
  return false;
}

/** git commands that push under another name: the plumbing under push, and push over HTTP without git's transport. */
export const PUSH_PLUMBING: ReadonlySet<string> = new Set(['send-pack', 'http-push']);
