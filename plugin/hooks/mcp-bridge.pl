# The plugin's MCP bridge in perl, run by ./mcp-bridge: the session's stdio joined to the MCP server its user's monitor
# runs on mcp.sock in the state directory, as dist/mcp-bridge.js joins it (src/cli/mcp-bridge.ts), in a few
# milliseconds and with no module loaded. Anything else is node's bridge's to do, and this process becomes it: no
# socket to join nor a monitor starting (it starts one, or serves the session itself), or the monitor gone mid-session
# (a server of the session's own takes over, told the handshake kept here).
# usage: perl mcp-bridge.pl NODE_BRIDGE FOLDER
my ($bridge, $cwd) = @ARGV;
sub node { exec('node', $bridge, @_) or die "taskhooks mcp bridge: node could not be started: $!\n" }

# The state directory as src/home/dir.ts finds it; a relative one is left to node's path rules.
my $home = $ENV{TASKHOOKS_HOME} // '';
$home =~ s/\A\s+|\s+\z//g;
$home = ($ENV{HOME} || (getpwuid($<))[7]) . '/.taskhooks' if $home eq '';
node() unless $home =~ m{\A/} && defined $cwd && $cwd =~ m{\A/};
my $path = "$home/mcp.sock";
utf8::encode($path) if utf8::is_utf8($path);

# Only this user's socket is the monitor's (as in socket-post.pl, whose socket numbers these are).
sub reach {
  my @own = lstat($path);
  return () unless @own && -S _ && $own[4] == $>;
  socket(my $s, 1, 1, 0) or return ();
  return connect($s, $^O eq 'linux' ? pack('S a108', 1, $path) : pack('C C a104', 0, 1, $path)) ? ($s) : ();
}
my ($s) = reach();
# None after a reboot: the herd's first bridge becomes node's, which starts the monitor the others wait for here.
if (!$s) {
  my $waiting = $0 =~ s{[^/]*\z}{monitor-wait.pl}r;
  $waiting = "./$waiting" unless $waiting =~ m{\A/};
  if (do $waiting) { ($s) = await_monitor($home, \&reach) }
  else { warn "taskhooks mcp bridge: $waiting could not be loaded: ", $@ || $!, "\n" }
}
node() unless $s;
binmode $_ for $s, \*STDIN, \*STDOUT;
$SIG{PIPE} = 'IGNORE';

sub put {
  my ($to, $bytes) = @_;
  for (my $at = 0; $at < length $bytes;) {
    my $n = syswrite($to, $bytes, length($bytes) - $at, $at);
    return 0 unless defined $n;
    $at += $n;
  }
  return 1;
}
sub json_string {
  my ($v) = @_;
  $v =~ s/(["\\])/\\$1/g;
  $v =~ s/([\x00-\x1f])/sprintf('\\u%04x', ord $1)/ge;
  return qq("$v");
}

# The one line the monitor reads before the stream: the session's agent process (Claude Code, which started the
# launcher this process replaced), its folder, and the session Claude Code names in its servers' environment.
my $session = $ENV{CLAUDE_CODE_SESSION_ID} // '';
my $head = '{"agentPid":' . getppid() . ',"cwd":' . json_string($cwd);
$head .= ',"sessionId":' . json_string($session) if $session ne '';
put($s, "$head}\n") or node();

# Both ways until Claude Code closes stdin and the monitor has answered all; the first two lines (initialize and its
# notification) are kept for a server that takes over.
my ($reading, $handshake, $kept) = (1, '', 0);
for (;;) {
  my $ready = '';
  vec($ready, fileno($s), 1) = 1;
  vec($ready, fileno(STDIN), 1) = 1 if $reading;
  if (select($ready, undef, undef, undef) < 0) {
    # EINTR (4 on Linux and macOS), by number: naming it loads the Errno module into every session's bridge.
    next if $! + 0 == 4;
    die "taskhooks mcp bridge: select failed: $!\n";
  }
  if ($reading && vec($ready, fileno(STDIN), 1)) {
    my $n = sysread(STDIN, my $buf, 65536);
    if (!$n) {
      $reading = 0;
      shutdown($s, 1);
    } else {
      if (!$kept) {
        $handshake .= $buf;
        my $first = index($handshake, "\n");
        my $second = $first < 0 ? -1 : index($handshake, "\n", $first + 1);
        ($handshake, $kept) = (substr($handshake, 0, $second + 1), 1) if $second >= 0;
      }
      put($s, $buf);
    }
  }
  if (vec($ready, fileno($s), 1)) {
    my $n = sysread($s, my $buf, 65536);
    if (!$n) {
      exit 0 unless $reading;
      close $s;
      node("--take-over=$handshake");
    }
    put(\*STDOUT, $buf) or exit 0;
  }
}
