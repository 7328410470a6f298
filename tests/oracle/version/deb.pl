#!/usr/bin/perl
# deb.pl - reference ordering for the "deb" scheme (tests/oracle/version.sh deb).
#
# Reads "A<TAB>B" lines on stdin and prints -1, 0, 1 or E per line: what
# `dpkg --compare-versions A lt|gt B` answers, E where it exits with an
# error. One process for all pairs; the dpkg binary itself, one fork per
# pair, is deb-dpkg.sh and checks a sample.
#
# The ordering is dpkg's own Perl code, Dpkg::Version from libdpkg-perl
# (version_compare_part(), version_split_digits(), version_compare_string()),
# with two patches so that it answers as the C code of the dpkg binary does:
#   - digit runs are compared as exact integers (Math::BigInt); Perl's <=>
#     goes through floating point beyond 2^64 and calls long runs equal;
#   - bytes 0x80..0xff order by their own value: the C order() reads them
#     through a signed char (amd64), (c - 256) + 256, where the Perl module
#     gives ord + 256.
# Which strings are errors, how the epoch is read (strtol) and the "no
# version" arguments ("" and "<unknown>", earlier than any version) follow
# dpkg's C parseversion() and cmpversions() (lib/dpkg/parsehelp.c,
# src/main/enquiry.c); Dpkg::Version's own constructor accepts anything.
use strict;
use warnings;
use Math::BigInt;
use Dpkg::Version ();

{
	no warnings 'redefine';
	my $order = \&Dpkg::Version::_version_order;
	*Dpkg::Version::_version_order = sub {
		my $x = shift;
		return ord($x) if ord($x) >= 0x80;
		return $order->($x);
	};
	my $split = \&Dpkg::Version::version_split_digits;
	*Dpkg::Version::version_split_digits = sub ($) {
		return map { /^\d+$/ ? Math::BigInt->new($_) : $_ } $split->(@_);
	};
}

# [epoch, upstream, revision], 'blank', or undef where dpkg errors out.
sub parse {
	my ($s) = @_;
	return 'blank' if $s eq '' || $s eq '<unknown>';
	$s =~ s/^[ \t]+//;
	return undef if $s eq '';                 # version string is empty
	return undef unless $s =~ /^([^ \t]+)[ \t]*$/;  # embedded spaces
	$s = $1;
	my $epoch = 0;
	my $colon = index($s, ':');
	if ($colon >= 0) {
		my $e = substr($s, 0, $colon);
		# strtol(): C-locale space (blanks are gone), a sign, digits, up to the colon
		return undef unless $e =~ /\d/;                  # epoch in version is empty
		return undef unless $e =~ /^[\n\x0b\f\r]*([+-]?)0*(\d*)$/;  # ... is not number
		my ($sign, $digits) = ($1, $2);
		return undef if $sign eq '-' && $digits ne '';          # negative
		return undef if length($digits) > 10 || ($digits ne '' && $digits > 2147483647);
		$epoch = $digits eq '' ? 0 : $digits + 0;
		$s = substr($s, $colon + 1);
		return undef if $s eq '';                # nothing after colon
	}
	my ($up, $rev) = ($s, '');
	my $h = rindex($s, '-');
	if ($h >= 0) {
		($up, $rev) = (substr($s, 0, $h), substr($s, $h + 1));
		return undef if $rev eq '';              # revision number is empty
	}
	return undef if $up eq '';                   # version number is empty
	return [$epoch, $up, $rev];
}

binmode STDIN;
binmode STDOUT;
while (my $line = <STDIN>) {
	$line =~ s/\n\z//;
	my ($a, $b) = split /\t/, $line, 2;
	$b = '' unless defined $b;
	my ($va, $vb) = (parse($a), parse($b));
	my $r;
	if (!defined $va || !defined $vb) {
		$r = 'E';
	} elsif (!ref $va || !ref $vb) {
		$r = (!ref $va && !ref $vb) ? 0 : !ref $va ? -1 : 1;
	} else {
		$r = $va->[0] <=> $vb->[0]
		  || Dpkg::Version::version_compare_part($va->[1], $vb->[1])
		  || Dpkg::Version::version_compare_part($va->[2], $vb->[2]);
		$r = $r <=> 0;
	}
	print "$r\n";
}
