# The hook commands' socket client (src/install/settings.ts writes the commands): the hook input on stdin posted to the
# monitor's Unix socket and its answer printed, with the exit codes of `curl -sf --max-time WAIT --unix-socket`, which
# the command reads: 7 nothing listens there (or the socket is not this user's), 28 no whole answer within WAIT seconds,
# 22 an answer other than 200, 18 an answer cut short, 63 one over 1 MiB, 8 one that is not a JSON object, 55 and 56
# the connection failing while sending and reading. Perl starts in a fraction of
# curl's time; no module is loaded, so the socket numbers are written out (AF_UNIX and SOCK_STREAM are 1 on Linux,
# macOS and the BSDs).
# usage: perl socket-post.pl [--git-only] WAIT SOCKET ROUTE AGENT_PID [AGENT [AGENT_EVENT]] [-- HOOK...]
# Another agent's hooks (src/install/writing/agent-hooks.ts) run it as the shell's only process: `--git-only` answers
# nothing at once to an input that does not name git, and where the monitor gives no answer the input goes to HOOK (the
# node hook), whose exit code is this one's.
my $git_only = @ARGV && $ARGV[0] eq '--git-only' ? shift @ARGV : undef;
my ($split) = grep { $ARGV[$_] eq '--' } 0 .. $#ARGV;
my @hook = defined $split ? splice(@ARGV, $split) : ();
shift @hook;
my ($wait, $path, $route, $pid, $agent, $event) = @ARGV;
# PERL_UNICODE=A decodes the arguments: the socket's path is bytes again for the address.
utf8::encode($path) if utf8::is_utf8($path);
binmode STDIN;
binmode STDOUT;
my $in = do { local $/; <STDIN> };
$in = '' unless defined $in;
exit 0 if $git_only && index($in, 'git') < 0;

# The store server's port, held for the monitor the node hook starts (./monitor-wait.pl): the hook has its own copy.
my $store_port;

# Where the monitor cannot answer, the node hook does. Any failure but 7 (no monitor to connect to) means the monitor
# may hold the event and answer into a closed socket, so the hook is told to answer all the same
# (src/home/monitor-late.ts).
sub fail {
  my ($code) = @_;
  exit $code unless @hook;
  alarm(0);
  $ENV{TASKHOOKS_MONITOR_LATE} = 1 unless $code == 7;
  open(my $h, '|-', @hook) or exit 127;
  close $store_port if $store_port;
  binmode $h;
  print $h $in;
  close $h;
  exit($? & 127 ? 1 : $? >> 8);
}

# A monitor that closes the connection early is a failure to write (55), not a signal that ends the client unheard.
$SIG{PIPE} = 'IGNORE';

# Only this user's socket is the monitor's: nobody else can make one in the owner-only state directory, and one another
# user made there (a folder left open) would be handed the input and trusted with the answer. A connected socket and
# when it was made, or nothing.
my $addr = $^O eq 'linux' ? pack('S a108', 1, $path) : pack('C C a104', 0, 1, $path);
sub reach {
  my @own = lstat($path);
  return unless @own && -S _ && $own[4] == $>;
  socket(my $s, 1, 1, 0) or return;
  # Bytes both ways, whatever PERL_UNICODE asks of new handles (syswrite dies on a :utf8 one).
  binmode $s;
  # The backstop for a connect that blocks on a monitor accepting nothing.
  alarm(int($wait) + 1);
  my $reached = connect($s, $addr);
  alarm(0);
  return $reached ? ($s, $own[9]) : ();
}

$SIG{ALRM} = sub { fail(28) };
my ($s, $made) = reach();
# A SessionStart of a herd after a reboot waits for the monitor one of them starts (./monitor-wait.pl), which holds the
# store server's port meanwhile.
if (!$s && $route eq 'session-start') {
  my $waiting = $0 =~ s{[^/]*\z}{monitor-wait.pl}r;
  $waiting = "./$waiting" unless $waiting =~ m{\A/};
  if (do $waiting) {
    ($s, $made) = await_monitor($path =~ s{/[^/]*\z}{}r, \&reach, sub { $store_port = hold_store_port(@_) });
  }
  else { warn "taskhooks: $waiting could not be loaded: ", $@ || $!, "\n" }
}
fail(7) unless $s;

# A socket made in the last 10 s is a monitor just started, answering a herd of sessions' first hooks from a cold
# cache: SessionStart (35 s to answer) gives it 3 s, as the node hooks do (src/hooks/hosts/ask-monitor.ts), before a
# node hook answers instead. Not a guard's hook: its node hook needs the rest of the agent's few seconds.
$wait = 3 if $route eq 'session-start' && $wait < 3 && time - $made < 10;

# The backstop where select does not say how long it waited (macOS), or a write blocks on a monitor that reads nothing.
alarm(int($wait) + 1);
my $left = $wait;

my $head = "POST /hooks/$route HTTP/1.0\r\nHost: localhost\r\nContent-Type: application/json\r\n";
$head .= "X-Taskhooks-Agent-Pid: $pid\r\n";
$head .= "X-Taskhooks-Agent: $agent\r\n" if defined $agent && $agent ne '';
$head .= "X-Taskhooks-Agent-Event: $event\r\n" if defined $event && $event ne '';
# Past what the monitor reads (MAX_HOOK_INPUT_BYTES) only the length is sent: the monitor answers from it at once
# (PreToolUse refused), where the input itself would be cut off mid-write and handed to a node hook to read whole.
my $body = length($in) > 8 * 1024 * 1024 ? '' : $in;
my $req = $head . 'Content-Length: ' . length($in) . "\r\n\r\n" . $body;
for (my $at = 0; $at < length $req;) {
  my $n = syswrite($s, $req, 65536, $at);
  fail(55) unless defined $n;
  $at += $n;
}

# Read to the end (HTTP/1.0: the monitor closes the connection after its answer), within what is left of WAIT.
my $out = '';
for (;;) {
  my $ready = '';
  vec($ready, fileno($s), 1) = 1;
  my ($found, $remaining) = select($ready, undef, undef, $left);
  fail(28) if $found < 1;
  $left = $remaining if defined $remaining && $remaining >= 0 && $remaining < $left;
  my $n = sysread($s, my $buf, 65536);
  fail(56) unless defined $n;
  last if $n == 0;
  $out .= $buf;
  # A hook's answer is a few KB: past a bound, whatever answers is not answering a hook (src/home/served-post.ts).
  fail(63) if length($out) > 1024 * 1024;
}

my $end = index($out, "\r\n\r\n");
fail(22) unless $end > 0 && $out =~ m{\AHTTP/1\.[01] 200 };
my $body = substr($out, $end + 4);
my ($length) = substr($out, 0, $end) =~ /^content-length:\s*(\d+)\s*$/im;
fail(18) if defined $length && length($body) != $length;
# The agent reads what is not JSON as context for the model: only a JSON object (the monitor's every answer) is printed.
my $object = qr{
  \A[\t\n\r ]*+(?&o)[\t\n\r ]*+\z
  (?(DEFINE)
    (?<s>"(?>[^"\\\x00-\x1f]++|\\(?>["\\/bfnrt]|u[0-9a-fA-F]{4}))*+")
    (?<v>[\t\n\r ]*+(?>(?&o)|\[[\t\n\r ]*+(?:(?&v)(?:,(?&v))*+)?\]|(?&s)|-?(?>0|[1-9][0-9]*+)(?:\.[0-9]++)?(?:[eE][+-]?[0-9]++)?|true|false|null)[\t\n\r ]*+)
    (?<o>\{[\t\n\r ]*+(?:(?&s)[\t\n\r ]*+:(?&v)(?:,[\t\n\r ]*+(?&s)[\t\n\r ]*+:(?&v))*+)?\})
  )
}x;
fail(8) unless $body =~ $object;
print $body;
exit 0;
