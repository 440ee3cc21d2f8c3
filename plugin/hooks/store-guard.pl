# Claude Code's headersHelper of the task tools' server install writes into ~/.claude.json (src/install/mcp-json.ts):
# run before each connection, it reads who listens where the server's URL (CLAUDE_CODE_MCP_SERVER_URL) points, from
# /proc/net/tcp and tcp6 as src/util/port-holder.ts does. When another user's process holds that port (it bound it
# while the monitor was down), its output replaces the Authorization header, so the store token never reaches it;
# otherwise it prints {} and the entry's own header goes. No module is loaded: perl starts in a few milliseconds.
# usage: perl store-guard.pl
my ($port) = ($ENV{CLAUDE_CODE_MCP_SERVER_URL} || '') =~ m{^http://127\.0\.0\.1:(\d+)/};
my $foreign;
if (defined $port) {
  my $hex = sprintf('%04X', $port);
  for my $table ('/proc/net/tcp', '/proc/net/tcp6') {
    open(my $fh, '<', $table) or next;
    <$fh>;
    while (my $row = <$fh>) {
      # sl, local address:port, remote address:port, state (0A: listening), queues, timers, retransmits, uid, …
      my @f = split ' ', $row;
      next unless defined $f[7] && $f[3] eq '0A';
      my ($address, $p) = split /:/, $f[1];
      next unless $p eq $hex && $address =~ /^(?:0100007F|0{8}|0{32}|0{16}FFFF00000100007F)$/;
      $foreign = $f[7] if $f[7] != $<;
    }
  }
}
print defined $foreign ? qq({"Authorization":"Bearer not-sent-to-uid-$foreign"}\n) : "{}\n";
