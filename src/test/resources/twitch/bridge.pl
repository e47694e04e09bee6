#!/usr/bin/perl
# websocketd runs one of these per WebSocket connection: stdin holds the lines the bot (Twitch4J) sends, one per
# frame; every line printed to stdout is a frame to the bot. It relays them to the IRC server over TCP, with what an
# IRC server needs and Twitch does not: a USER line, and the bot's JOINs held back until the login is complete
# (else 451). It also asks for IRCv3 message tags for the bot (msgid, time), which Twitch4J never requests.
# Test hooks: its pid is appended to DIR/connections (killing it drops the bot's connection), and to DIR/ready once
# the server confirmed every channel the bot joined; lines written to
# the FIFO DIR/inject.<pid> reach the bot as if the server sent them (Twitch's own tags, a redelivered line).
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;
use POSIX qw(mkfifo);

my ($port, $dir) = @ARGV;
$| = 1;
my $fifo = "$dir/inject.$$";
$SIG{TERM} = $SIG{INT} = $SIG{PIPE} = sub { unlink $fifo; exit 0 };

my $irc = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port, Proto => 'tcp')
  or die "cannot reach the IRC server on port $port: $!";
mkfifo($fifo, 0600) or die "mkfifo $fifo: $!";
open(my $inject, '+<', $fifo) or die "open $fifo: $!";   # read-write, so it never reads end-of-file
open(my $log, '>>', "$dir/connections") or die; print $log "$$\n"; close $log;

syswrite($irc, "CAP REQ :message-tags server-time\r\nUSER twitchbot 0 * :twitch4j\r\n");
my $registered = 0;
my (%joins, %names);
my $ready = 0;
my $nick;
my $nick_tries = 0;
my @held;
my %buffer;
my $select = IO::Select->new(\*STDIN, $irc, $inject);

# How many channels the bot must be in before its connection counts (DIR/expect, written by the test; 0: any).
sub expected {
  open(my $e, '<', "$dir/expect") or return 0;
  my $n = <$e>;
  close $e;
  return defined $n && $n =~ /(\d+)/ ? $1 : 0;
}
while (1) {
  for my $fh ($select->can_read) {
    my $n = sysread($fh, my $chunk, 65536);
    if (!$n) {
      # The server closed (after an ERROR line, say): give websocketd a moment to pass the last lines on.
      sleep 1 if fileno($fh) == fileno($irc);
      unlink $fifo;
      exit 0;
    }
    my $key = fileno($fh);
    $buffer{$key} .= $chunk;
    while ($buffer{$key} =~ s/^([^\n]*)\n//) {
      my $line = $1;
      $line =~ s/\r$//;
      if ($key == fileno(STDIN)) {
        $nick = $line if $line =~ /^NICK /i;
        # Twitch4J asks again for a channel that sends no ROOMSTATE (this server never does): count channels, not JOINs.
        if ($line =~ /^JOIN (\S+)/i) { $joins{lc $_} = 1 for split(/,/, $1); }
        if ($registered || $line =~ /^(CAP|PASS|NICK|USER|PONG|PING|QUIT)\b/i) {
          syswrite($irc, "$line\r\n");
        } else {
          push @held, $line;
        }
      } else {
        if (!$registered && $nick && $line =~ /^(\@\S+ )?:\S+ 433 /) {
          # The nick is still held by another connection of the bot: a process just killed, whose socket the
          # server drops in a moment, or a second instance running. Twitch allows a second login, IRC does not: ask
          # again for 10 s, then log in under another nick (only then is the password checked, and a wrong one
          # refused, as Twitch would at once).
          sleep 1;
          my $again = ++$nick_tries <= 10 ? $nick : $nick . "_" . $nick_tries;
          syswrite($irc, "$again\r\n");
          next;
        }
        print "$line\n";
        $names{lc $2} = 1 if $line =~ /^(\@\S+ )?:\S+ 366 \S+ (\S+)/;
        if (!$ready && %joins && !grep { !$names{$_} } keys %joins and scalar(keys %joins) >= expected()) {
          # In every channel it asked for: the connection counts (DIR/ready) from now on.
          $ready = 1;
          open(my $r, '>>', "$dir/ready") or die; print $r "$$\n"; close $r;
        }
        if (!$registered && $line =~ /^(\@\S+ )?:\S+ 001 /) {
          $registered = 1;
          syswrite($irc, "$_\r\n") for @held;
          @held = ();
        }
      }
    }
  }
}
