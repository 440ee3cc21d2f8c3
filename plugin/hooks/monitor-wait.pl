# After a reboot or a crash a herd of sessions finds no monitor at once: one claims its start and its node process
# starts it (src/home/monitor-starter.ts); the others wait for that monitor here, where a node process of their own
# would load beside it on a machine already busy. Loaded with `do` by hooks/socket-post.pl and hooks/mcp-bridge.pl only
# when they find no monitor, so a warm session reads nothing more. No module is loaded.

# Whether process `pid` runs, and where /proc tells, is the run that started at clock tick `since` (a claim's, as
# src/home/lock.ts writes it: "<boot>/<tick>"). Killed but not yet reaped (a container whose first process reaps
# nothing), it still answers signal 0.
sub runs {
  my ($pid, $since) = @_;
  return 0 unless defined $pid && kill(0, $pid);
  return 1 unless open(my $st, '<', "/proc/$pid/stat");
  my ($state, @fields) = split / /, (do { local $/; <$st> } // '') =~ s/.*\) //sr;
  return 0 if $state =~ /[ZX]/;
  return 1 unless defined $since;
  return $since =~ m{/(\d+)\z} && $1 eq ($fields[18] // '');
}

# Whether the monitor of state directory `home` is starting: its start claimed (5 s from when the claim was made, and
# while its claimant runs, as long as SessionStart's 35 s), or its lock under 10 s old and its owner running (a crashed
# monitor leaves its lock behind).
sub starting {
  my ($home) = @_;
  if (open(my $f, '<', "$home/monitor.starting")) {
    my $raw = do { local $/; <$f> } // '';
    my ($at) = $raw =~ /"at":(\d+)/;
    my ($by) = $raw =~ /"pid":(\d+)/;
    my ($since) = $raw =~ /"since":"([^"]*)"/;
    my $made = defined $at ? $at / 1000 : (stat $f)[9];
    my $age = defined $made ? abs(time - $made) : 99;
    return 1 if $age < 5 || ($age < 35 && runs($by, $since));
  }
  my $lock = "$home/monitor.pid";
  my $taken = (stat $lock)[9];
  return 0 unless defined $taken && time - $taken < 10 && open(my $l, '<', $lock);
  my ($owner) = (do { local $/; <$l> } // '') =~ /"pid":(\d+)/;
  return runs($owner);
}

# The sessions of a herd come at once, before any node process has claimed the start. The first to find nothing marks it
# (a folder: made or not in one step, on every OS) and its node process claims the start; the others wait while the
# mark is under 5 s old. Not where nothing starts a monitor (TASKHOOKS_NO_AUTOSTART): nobody would claim.
sub marked {
  my ($home) = @_;
  my $made = (stat "$home/monitor.wanted")[9];
  return defined $made && abs(time - $made) < 5;
}
sub first_to_find {
  my ($home) = @_;
  my $mark = "$home/monitor.wanted";
  return 1 if ($ENV{TASKHOOKS_NO_AUTOSTART} // '') eq '1' || mkdir($mark, 0700);
  return 0 if marked($home);
  # A mark left by an earlier start: taken over.
  rmdir($mark);
  return mkdir($mark, 0700);
}

# The store server's port (endpoint.json's), bound and listening as fd 3 with no close-on-exec, named for the node hook
# in TASKHOOKS_STORE_FD as src/home/launch.ts names it for the monitor: Claude Code connects to its task tools while
# that hook loads, and waits in this socket's queue for the monitor it starts instead of being refused and retrying
# 0.5 to 2 s later. The socket, or nothing where the port is held or unknown.
sub hold_store_port {
  my ($home) = @_;
  open(my $f, '<', "$home/endpoint.json") or return;
  my ($port) = (do { local $/; <$f> } // '') =~ /"storePort":\s*(\d+)/;
  close $f;
  return unless $port && $port < 65536;
  my $linux = $^O eq 'linux';
  # AF_INET and SOCK_STREAM are 2 and 1 on Linux, macOS and the BSDs; SOL_SOCKET and SO_REUSEADDR differ.
  socket(my $l, 2, 1, 0) or return;
  # As Node binds: the crashed monitor's connections left in TIME_WAIT would otherwise hold the port.
  setsockopt($l, $linux ? 1 : 0xffff, $linux ? 2 : 4, pack('i', 1)) or return;
  my $addr = $linux ? pack('S n C4 x8', 2, $port, 127, 0, 0, 1) : pack('C C n C4 x8', 16, 2, $port, 127, 0, 0, 1);
  # fd 3 only: the monitor takes it there, and a copy at another number would outlive a move of its port.
  return unless bind($l, $addr) && listen($l, 64) && fileno($l) == 3 && fcntl($l, 2, 0);
  $ENV{TASKHOOKS_STORE_FD} = "3:$port";
  return $l;
}

# What `reach` returns once the monitor another process starts listens (at most 10 s); nothing at once where this
# process is the first to find none, whose node process is to start it: `first` runs then, unless hooks start none.
sub await_monitor {
  my ($home, $reach, $first) = @_;
  if (!starting($home) && first_to_find($home)) {
    $first->($home) if $first && ($ENV{TASKHOOKS_NO_AUTOSTART} // '') ne '1';
    return ();
  }
  my $until = time + 10;
  while (time < $until && (starting($home) || marked($home))) {
    select(undef, undef, undef, 0.05);
    my @got = $reach->();
    return @got if @got;
  }
  return ();
}

1;
